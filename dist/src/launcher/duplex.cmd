@echo off
rem duplex launcher of the release archive (Windows): runs lib\duplex.jar beside it with all arguments.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%lib\duplex.jar"
if not exist "%JAR%" (
  echo duplex: the jar %JAR% is missing: unpack the whole archive 1>&2
  exit /b 2
)
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo duplex: needs Java 17 or newer and found none: install a JDK or JRE 17+ or set JAVA_HOME 1>&2
  exit /b 2
)
set "JMAJOR="
for /f "tokens=3" %%v in ('"%JAVA%" -version 2^>^&1 ^| findstr /i "version"') do set "JVER=%%~v"
for /f "delims=." %%m in ("%JVER%") do set "JMAJOR=%%m"
if "%JMAJOR%"=="1" (
  echo duplex: needs Java 17 or newer; "%JAVA%" is version %JVER% ^(set JAVA_HOME^) 1>&2
  exit /b 2
)
if %JMAJOR% LSS 17 (
  echo duplex: needs Java 17 or newer; "%JAVA%" is version %JVER% ^(set JAVA_HOME^) 1>&2
  exit /b 2
)
"%JAVA%" %DUPLEX_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
