"""The interface: what the pages are assembled from, in two layers. Streamlit plumbing: cached loaders (``cache``),
the signed-in account (``auth``), a page's kept settings (``page_state``), the page list (``nav``), shared widgets,
the map's rendering (``fast_map``) and each page's sections (``ui.sections``). Pure presentation that makes no
Streamlit call: words for the codes ``data`` and ``notes`` answer in (``words``), the prose that explains a figure
(``prose``), number formatting (``format``), the address parameters a page declares (``links``), downloads and
printable profiles. Only ``ui`` and ``pages`` import Streamlit."""
