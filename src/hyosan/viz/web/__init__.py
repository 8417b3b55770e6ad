"""hyosan in the browser: ``hyosan serve`` (a live run you can click) and ``hyosan view``
(a finished run as one offline HTML page), made with Panel on Bokeh.

Nothing here is imported by ``hyosan`` itself: Panel and Bokeh load only when a
command or a caller asks for a page. :mod:`.colours` and :mod:`.geometry` are
shared by both pages; :mod:`.session` runs a live run in a background thread;
:mod:`.page` is the live page, :mod:`.serve` its server; :mod:`.view` writes
the offline page. See ``docs/design/viewer.md``.
"""
