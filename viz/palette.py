"""One palette for the whole app, colour-blind safe (Okabe–Ito hues, viridis/cividis and RdBu scales)."""

Q_COLOR = "#0072B2"  # blue: queries everywhere
K_COLOR = "#E69F00"  # orange: keys everywhere
V_COLOR = "#009E73"  # green: values everywhere
OUTPUT_COLOR = "#CC79A7"  # purple: outputs
MASKED_COLOR = "#d9d9d9"  # grey cells that carry the "−∞" text
ACCENT = "#D55E00"  # vermillion: the traced cell / highlight

WEIGHTS_SCALE = "Viridis"  # probabilities in [0, 1]
SIGNED_SCALE = "RdBu_r"  # vectors and scores: blue negative, red positive, white zero

# Okabe–Ito, for categorical series (heads, curves)
CATEGORICAL = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

FONT = "Inter, 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
SHADE_SCALE = "Oranges"  # background of words shaded by attention weight: white → dark orange
