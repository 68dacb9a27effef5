"""One palette for the whole app, colour-blind safe (Okabe–Ito hues, viridis/cividis and RdBu scales).

tests/viz/test_palette.py simulates deuteranopia, protanopia and tritanopia (colorspacious, severity
100) and checks that the scales keep neighbouring values apart and the two signs of the diverging scale
apart.
"""

Q_COLOR = "#0072B2"  # blue: queries everywhere
K_COLOR = "#E69F00"  # orange: keys everywhere
V_COLOR = "#009E73"  # green: values everywhere
OUTPUT_COLOR = "#CC79A7"  # purple: outputs
MASKED_COLOR = "#d9d9d9"  # grey cells that carry the "−∞" text
ACCENT = "#D55E00"  # vermillion: the traced cell / highlight

WEIGHTS_SCALE = "Viridis"  # probabilities in [0, 1]: sequential, lightness rises with the weight
SIGNED_SCALE = "RdBu_r"  # vectors and scores: diverging, blue negative, red positive, white at zero (zmid 0)

# Ink on the figure's paper, drawn light on a dark theme (viz.base.themed swaps them): text and marks,
# secondary text and reference lines, and the fill of neutral boxes.
INK = "#1a1a1a"
INK_SOFT = "#555555"
BOX_GREY = "#eeeeee"
# On a dark page two categorical colours become text or lines too dark to read (a head's title, a head-view
# line): black turns into the light ink, the deep blue into a lighter blue (contrast 5.4:1 on the dark paper
# instead of 3.6:1; still ≥ 11 ΔE from the sky blue in every simulated vision). Keys in lower case.
DARK_INK = {INK: "#f0f0f0", INK_SOFT: "#b8b8b8", BOX_GREY: "#3b4252", "#000000": "#f0f0f0", "#0072b2": "#2f8fd8"}

# Okabe–Ito, for categorical series (heads, curves)
CATEGORICAL = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

FONT = "Inter, 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
SHADE_SCALE = "Oranges"  # background of words shaded by attention weight: white → dark orange
