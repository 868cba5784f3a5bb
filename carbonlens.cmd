@echo off
rem CarbonLens launcher for Windows: builds the jar on first use, then runs it.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%language-server\target\carbonlens.jar"
if not exist "%JAR%" (
  echo carbonlens: building on first use... 1>&2
  pushd "%HERE%"
  call mvn -q -B -ntp -Dstyle.color=never -Dmaven.test.skip=true -pl language-server -am package 1>&2
  if errorlevel 1 ( popd & echo carbonlens: build failed 1>&2 & exit /b 2 )
  popd
)
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" -XX:+UseSerialGC -jar "%JAR%" %*
