"""gunicorn's settings for the web service (gunicorn reads this file from the working directory, /app).

No control socket: gunicorn 27 opens one under $HOME by default, and the image's user (nobody) has no
home, so it would log "Control server error: Permission denied" at every start. We never use it.
"""

control_socket_disable = True
