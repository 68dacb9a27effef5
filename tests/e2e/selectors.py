"""CSS selectors of the Streamlit and Plotly elements the end-to-end tests drive, in one place.

Streamlit's ``data-testid`` names are not a public API and change between releases: when an upgrade
breaks the browser tests, this is the file to update.
"""

APP = '[data-testid="stApp"]'
MAIN = '[data-testid="stMain"]'
TITLE = f"{MAIN} h1"  # every page has one
SIDEBAR = '[data-testid="stSidebar"]'
HEADER = '[data-testid="stHeader"]'  # Streamlit's top bar (the sidebar's unfold arrow, the menu)
SENTENCE_BOX = f'{SIDEBAR} input[type="text"]'
# a slider's thumb, the element that takes keyboard focus (its markup differs between Streamlit versions)
SLIDER = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'
SLIDER_VALUE = '[data-testid="stSliderThumbValue"]'  # the number shown above a slider's thumb
EXCEPTION = '[data-testid="stException"]'
ERROR = '[data-testid="stAlertContentError"]'
SUCCESS = '[data-testid="stAlertContentSuccess"]'
CAPTION = '[data-testid="stCaptionContainer"]'
PROGRESS = '[data-testid="stProgress"]'  # a progress bar (its text sits inside it)
DIALOG = '[role="dialog"]'
PROJECTOR_EXIT = ".st-key-projector_exit button"  # ui/projector.py's way out of projector mode
KATEX_DISPLAY = ".katex-display"
POPOVER_BODY = '[data-testid="stPopoverBody"]'
POPOVER_BUTTON = '[data-testid="stPopoverButton"]'
CODE = '[data-testid="stCode"]'
WIDGET_LABEL = '[data-testid="stWidgetLabel"]'  # a control's label
SELECT_VALUE = f'{MAIN} [data-testid="stSelectbox"] input'  # the option a select box shows
TAB_LIST = '[role="tablist"]'
TAB = '[role="tab"]'

CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'  # a drawn Plotly chart (its graph div)
PLOT_AREA = f"{CHART} .nsewdrag"  # the plot area of a chart's main axes
CHART_TITLE = f"{CHART} .gtitle"
LEGEND_TEXT = f"{CHART} .legendtext"
SCATTER_POINT = f"{CHART} .scatterlayer .point"  # one per drawn marker, in the trace's data order
HOVER_TEXT = ".hoverlayer .hovertext"
HEATMAP_TEXT = ".heatmaplayer .heatmap-label"  # a number written in a heatmap's cell


def chart(key: str) -> str:
    """The chart a page draws with ``chart(fig, key)`` (Streamlit adds the class ``st-key-<key>``)."""
    return f".st-key-{key} .js-plotly-plot"
