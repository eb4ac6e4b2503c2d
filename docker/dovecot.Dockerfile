# Dovecot 2.3 (IMAP + LMTP) from Debian packages, for the compose demo's two mail stores.
# BASE_IMAGE: any Debian bookworm image (docker/check.sh passes one made with debootstrap).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 vmail && useradd --uid 1000 --gid vmail --no-create-home --home-dir /srv/mail --shell /usr/sbin/nologin vmail \
 && mkdir -p /srv/mail && chown vmail:vmail /srv/mail
COPY dovecot.conf /etc/dovecot/dovecot.conf
COPY imap-ready /usr/local/bin/imap-ready
VOLUME /srv/mail
EXPOSE 143 24
# Healthy = the IMAP listener greets ("* OK"), not merely a running master process.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["imap-ready"]
CMD ["dovecot", "-F"]
