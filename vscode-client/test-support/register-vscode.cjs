'use strict';
// Makes `require('vscode')` resolve to the mock in ./vscode.js (VS Code provides the real module only
// inside the editor). Load it before the extension bundle: `import '../test-support/register-vscode.cjs'`.
const Module = require('node:module');
const path = require('node:path');

const mock = path.join(__dirname, 'vscode.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') {
    return mock;
  }
  return resolve.call(this, request, ...rest);
};
