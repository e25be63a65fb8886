@echo off
rem duplex launcher for Windows: builds app\target\duplex.jar on first use, then runs it with all arguments.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%app\target\duplex.jar"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo duplex: needs Java 17 or newer: install a JDK or set JAVA_HOME 1>&2
  exit /b 2
)
if not exist "%JAR%" (
  where mvn >nul 2>&1
  if errorlevel 1 (
    echo duplex: the jar %JAR% is missing and Maven ^(mvn^) is not installed to build it 1>&2
    exit /b 2
  )
  echo duplex: building %JAR% ^(first use^) ... 1>&2
  pushd "%HERE%"
  call mvn -q -B -DskipTests -pl app -am package 1>&2
  if errorlevel 1 (
    popd
    echo duplex: build failed; run "mvn -B -pl app -am package" in %HERE% to see why 1>&2
    exit /b 2
  )
  popd
)
"%JAVA%" -XX:+UseSerialGC -Xms16m -Xmx1g %DUPLEX_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
