"""The attention engine: pure maths (NumPy), one function per equation, every intermediate returned.

Nothing here imports Streamlit or Plotly, so it can be tested and reused without a server.
"""
