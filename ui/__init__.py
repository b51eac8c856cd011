"""The interface: what the pages are assembled from. The modules that use Streamlit (cached loaders, the
language, sign-in, widgets, the map's rendering, each page's sections) and the plain-Python helpers only the
interface uses (number formatting, the prose that explains a figure, page addresses, downloads, printable
profiles). Only ``ui`` and ``pages`` import Streamlit."""
