/**
 * VS Code's flat `carbonlens.*` settings -> the object the server reads (ClientSettings), as sent in
 * `initializationOptions` and, nested under `carbonlens`, in `workspace/didChangeConfiguration`:
 *
 *   { defaults: { provider, region, pue, gridSignal, accelerator, hours, utilisation, hostOverhead, mfu,
 *                 hardwareLifetime, servingThroughput },
 *     severity: { ID: level }, rules: { ID: boolean }, debounceMs, limits: { maxFileSizeKB, timeBudgetMs },
 *     trustWorkspaceRules }
 *
 * Unset settings (null, undefined, an empty string) are left out, so the server keeps its own defaults
 * (and the `carbonlens lsp` command line's). Pure module (no `vscode` import).
 */

export const STRING_DEFAULTS = ['provider', 'region', 'gridSignal', 'accelerator'] as const;
export const NUMBER_DEFAULTS = [
  'pue',
  'hours',
  'utilisation',
  'hostOverhead',
  'mfu',
  'hardwareLifetime',
  'servingThroughput',
] as const;
/** In the order the settings UI lists them (and the schema does). */
export const DEFAULT_KEYS = [
  'provider',
  'region',
  'pue',
  'gridSignal',
  'accelerator',
  'hours',
  'utilisation',
  'hostOverhead',
  'mfu',
  'hardwareLifetime',
  'servingThroughput',
] as const;

export type DefaultKey = (typeof DEFAULT_KEYS)[number];

export interface ServerSettings {
  defaults: Partial<Record<DefaultKey, string | number>>;
  severity: Record<string, string>;
  rules: Record<string, boolean>;
  debounceMs?: number;
  limits?: { maxFileSizeKB?: number; timeBudgetMs?: number };
  trustWorkspaceRules: boolean;
}

/** The limits the server takes (`limits.*`), each sent only when set. */
export const LIMIT_KEYS = ['maxFileSizeKB', 'timeBudgetMs'] as const;

/** Reads one setting below `carbonlens.` (e.g. `defaults.region`), as `WorkspaceConfiguration.get` does. */
export type SettingReader = (key: string) => unknown;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function toServerSettings(read: SettingReader, trusted: boolean): ServerSettings {
  const defaults: ServerSettings['defaults'] = {};
  for (const key of DEFAULT_KEYS) {
    const value = read(`defaults.${key}`);
    if (value === undefined || value === null) {
      continue;
    }
    if ((STRING_DEFAULTS as readonly string[]).includes(key)) {
      const text = String(value).trim();
      if (text !== '') {
        defaults[key] = text;
      }
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      defaults[key] = value;
    } else if (typeof value === 'string' && value.trim() !== '') {
      defaults[key] = value.trim(); // the server names the bad value in a message
    }
  }
  const severity: Record<string, string> = {};
  const severities = read('severity');
  if (isRecord(severities)) {
    for (const [id, level] of Object.entries(severities)) {
      if (typeof level === 'string' && level.trim() !== '') {
        severity[id.trim()] = level.trim().toLowerCase();
      }
    }
  }
  const rules: Record<string, boolean> = {};
  const rulesSetting = read('rules');
  if (isRecord(rulesSetting)) {
    for (const [id, on] of Object.entries(rulesSetting)) {
      if (typeof on === 'boolean') {
        rules[id.trim()] = on;
      }
    }
  }
  const out: ServerSettings = { defaults, severity, rules, trustWorkspaceRules: trusted };
  const debounce = read('debounceMs');
  if (typeof debounce === 'number' && Number.isFinite(debounce)) {
    out.debounceMs = Math.round(debounce);
  }
  const limits: NonNullable<ServerSettings['limits']> = {};
  for (const key of LIMIT_KEYS) {
    const value = read(`limits.${key}`);
    if (typeof value === 'number' && Number.isFinite(value)) {
      limits[key] = Math.round(value);
    }
  }
  if (Object.keys(limits).length > 0) {
    out.limits = limits;
  }
  return out;
}
