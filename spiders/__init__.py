"""One spider per site template; each crawls any portal of its template (``-a portal=NAME``)."""
