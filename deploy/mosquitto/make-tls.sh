#!/usr/bin/env bash
# Make a small private CA and a server certificate for the broker's network listener (8883).
#
#   sudo deploy/mosquitto/make-tls.sh
#   then uncomment cafile/certfile/keyfile in /etc/mosquitto/conf.d/ema.conf,
#   systemctl restart mosquitto, copy /etc/mosquitto/ema/tls/ca.crt to the laptop and connect
#   with --broker mqtts://HOST:8883 --ca-file ca.crt
#
# The CA key stays root-only in EMA_CA_DIR (/etc/ema/ca) and is made once; the server key and
# certificate go to EMA_TLS_DIR (/etc/mosquitto/ema/tls), readable by the broker's group. Run it
# again after a change of host name or address: it keeps the CA (clients keep their ca.crt) and
# issues a new server certificate.
#
# The certificate names the host as the laptop will address it:
#   EMA_TLS_NAMES  DNS names   (default: "$(hostname) $(hostname).local localhost")
#   EMA_TLS_IPS    IP addresses (default: 127.0.0.1 and the addresses of `hostname -I`)
#   EMA_TLS_DAYS   validity of the server certificate in days (default 825)
#   EMA_BROKER_GROUP  group that may read the server key (default mosquitto)
set -euo pipefail
umask 077

CA_DIR=${EMA_CA_DIR:-/etc/ema/ca}
TLS_DIR=${EMA_TLS_DIR:-/etc/mosquitto/ema/tls}
BROKER_GROUP=${EMA_BROKER_GROUP:-mosquitto}
DAYS=${EMA_TLS_DAYS:-825}
host=$(hostname)
NAMES=${EMA_TLS_NAMES:-"$host $host.local localhost"}
IPS=${EMA_TLS_IPS:-"127.0.0.1 $(hostname -I 2>/dev/null || true)"}

command -v openssl >/dev/null 2>&1 || { echo "make-tls.sh: openssl not found" >&2; exit 1; }
mkdir -p "$CA_DIR" "$TLS_DIR"
chmod 0700 "$CA_DIR"

if [ ! -s "$CA_DIR/ca.key" ] || [ ! -s "$CA_DIR/ca.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$CA_DIR/ca.key" -out "$CA_DIR/ca.crt" -days 3650 \
        -subj "/CN=EMA broker CA $host" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    echo "made CA $CA_DIR/ca.crt"
fi

san=""
for name in $NAMES; do san="${san:+$san,}DNS:$name"; done
for ip in $IPS; do san="${san:+$san,}IP:$ip"; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$work/server.key" -out "$work/server.csr" -subj "/CN=$host" 2>/dev/null
printf '%s\n' "subjectAltName=$san" "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
    > "$work/ext.cnf"
openssl x509 -req -in "$work/server.csr" -CA "$CA_DIR/ca.crt" -CAkey "$CA_DIR/ca.key" \
    -CAcreateserial -CAserial "$CA_DIR/ca.srl" -days "$DAYS" -extfile "$work/ext.cnf" \
    -out "$work/server.crt" 2>/dev/null

install -m 0644 "$CA_DIR/ca.crt" "$TLS_DIR/ca.crt"
install -m 0644 "$work/server.crt" "$TLS_DIR/server.crt"
install -m 0600 "$work/server.key" "$TLS_DIR/server.key"
if [ "$(id -u)" = 0 ] && getent group "$BROKER_GROUP" >/dev/null 2>&1; then
    chown "root:$BROKER_GROUP" "$TLS_DIR" "$TLS_DIR/server.key"
    chmod 0750 "$TLS_DIR"
    chmod 0640 "$TLS_DIR/server.key"
fi
echo "server certificate $TLS_DIR/server.crt for $san"
echo "clients need $TLS_DIR/ca.crt (--ca-file)"
