"""The attention engine: pure maths (NumPy), one function per equation, every intermediate returned.

Nothing here imports Streamlit or Plotly, so it can be tested and reused without a server; only
tiny_transformer imports torch (and only the "watch attention learn" page imports it).

Layout
    core/<topic>.py         equations, one function each (the paper's names, shapes in every docstring):
        attention       softmax, masks, scaled dot-product attention (eq. 1)
        multihead       split/concat heads, multi-head attention (3.2.2), head-count options
        block           LayerNorm, GELU/ReLU, FFN, the encoder block and a stack of them (3.1)
        positional      sinusoidal positional encoding (3.5)
        embeddings      seeded toy token embeddings E
        inputs          X = E + PE, the input of the first layer
        projection      Q, K, V = X·W_Q, X·W_K, X·W_V for one head
        entropy         entropy of attention weights, in bits
        interpret       reading a trained model: pooling, per-head entropy, mean over heads, rollout
        complexity      Table 1 (cost per layer type) and the long-range gradient comparison
        vision          self-attention over image patches
        minilm          all-MiniLM-L6-v2: real parameters run through block.encoder_block
        toy_tasks       copy, reverse, sort and induction data, and the head measures read off attention
        tiny_transformer  the one torch module: a tiny Transformer trained on a toy task, snapshots of its heads
        images, tokens, reduce   loading images, splitting text, block averages for display
    core/demos/<name>.py    page pipelines: tokens and a config in, one frozen result out, named after
                            what the page demonstrates (scaled_dot_product, multi_head, transformer_block,
                            word_order, selective_focus, why_scaling)

Glossary (the same name means the same thing in every module)
    X        (n, d_model) the vectors a layer reads, one row per token
    E, PE    (n, d_model) token embeddings and positional encoding; X = E + PE for the first layer
    Q, K, V  (…, n, d_k) queries, keys, values: X·W_Q, X·W_K, X·W_V (per head: (h, n, d_k))
    scores   Q·Kᵀ, nothing else
    scaled   scores · scale / temperature (scale = 1/√d_k unless switched off)
    masked   scaled with −inf where the mask forbids (mask: True = may attend)
    weights  softmax(masked): the attention weights, each row sums to 1 (0 for an all-masked row)
    output   weights·V (a block's or a layer's output where the dataclass says so)
    W_*, b_* learned matrices and biases (W_Q, W_K, W_V, W_O, W_1, W_2), row-vector convention x·W
    params   a dataclass of learned parameters (Projections, MultiHeadParams, BlockParams): never "weights"
    h, d_k   number of heads, and d_model / h
    entropy  always in bits (log₂)
"""
