"""Running the app as several processes behind nginx with one PostgreSQL notes database (README, "Running it for
a city"): the nginx site template, systemd units, the environment each process needs, and ``deploy.local``, which
starts the whole arrangement on this machine."""
