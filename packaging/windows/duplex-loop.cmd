@echo off
rem Runs duplex, waits an hour, runs it again; for a Windows service wrapper (duplex-service.xml).
rem Exit codes of duplex: 0 synced, 1 some files failed (retried next round), 3 another run holds the lock (next
rem round), 4 fatal, e.g. a share is not mounted (next round); 2 = usage or configuration error: stop the loop
rem with exit 2 so the wrapper shows the service as failed.
setlocal
:loop
call "%~dp0..\..\duplex.cmd" --config C:\duplex\nightly.toml -q
set "CODE=%ERRORLEVEL%"
echo %DATE% %TIME% duplex exited %CODE%
if "%CODE%"=="2" exit /b 2
timeout /t 3600 /nobreak >nul
goto loop
