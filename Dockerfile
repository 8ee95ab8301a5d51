# The gateway in one image: proxy (8080), SMTP filter (8025), console (8081),
# metrics (9102). Without REDIS_URL it runs its own Redis with data in /var/lib/dlp.
# Several nodes behind a load balancer must share one external Redis: set REDIS_URL.
#
#   docker build -t dlp-gateway .
#   docker run -p 8080:8080 -p 8081:8081 -p 9102:9102 -v dlp-state:/var/lib/dlp dlp-gateway
FROM python:3.13-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server libmagic1 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/dlp-gateway
COPY pyproject.toml README.md ./
COPY .ci/requirements.lock .ci/requirements.lock
COPY gateway gateway
COPY detectors detectors
RUN pip install --no-cache-dir -c .ci/requirements.lock .
COPY rules rules
COPY config config

RUN useradd --system --home /var/lib/dlp --create-home dlp
USER dlp
ENV DLP_STATE_DIR=/var/lib/dlp \
    DLP_RULES_DIR=/opt/dlp-gateway/rules \
    DLP_CONFIG_DIR=/opt/dlp-gateway/config \
    DLP_CONSOLE_HOST=0.0.0.0
VOLUME ["/var/lib/dlp"]
EXPOSE 8080 8025 8081 9102
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:9102/readyz', timeout=4)" || exit 1
ENTRYPOINT ["dlp-gateway"]
CMD ["run"]
