# The GraphIntel app (Dash) for docker-compose.yml; the store URL comes from GRAPHINTEL_STORE.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY graphintel ./graphintel
COPY loaders ./loaders
COPY dashboards ./dashboards
RUN pip install -c constraints.txt . \
    && useradd --system --create-home --home-dir /home/graphintel graphintel

USER graphintel
ENV GRAPHINTEL_STORE=neo4j://neo4j:7687
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/', timeout=4)"
CMD ["graphintel", "serve", "--host", "0.0.0.0", "--port", "8050"]
