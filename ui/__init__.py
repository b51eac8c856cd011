"""Everything that imports Streamlit: cached loaders, number formatting, plain-text rendering of user text,
the prose that explains a figure, and the page sections the pages are assembled from."""
