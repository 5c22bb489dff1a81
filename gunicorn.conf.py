"""gunicorn's settings for the web service (gunicorn reads this file from the working directory, /app).

No control socket: gunicorn 27 opens one under $HOME by default, and the image's user (nobody) has no
home, so it would log "Control server error: Permission denied" at every start. We never use it.
"""

control_socket_disable = True

# Some pages call Yuki while the person waits (saving a Yuki key, "Yuki testen", sending petty cash): a few
# calls of at most YUKI_TIMEOUT (60 s) each. gunicorn's default of 30 s would kill the worker in the middle
# of a send, leaving a 502 and a run that only the sweeper ends; the ledger keeps it from booking twice,
# but the person should read the answer. Caddy waits as long by default.
timeout = 200
