#!/usr/bin/env bash
# Install the EMA cabin HMI on a Raspberry Pi 4/5 with Raspberry Pi OS bookworm (64-bit).
# Idempotent: run it again after a git pull; passwords and your TLS choice are kept.
#
#   sudo deploy/pi/install.sh [--mode console|desktop] [--desktop-user USER] [--tls]
#                             [--no-start] [--skip-apt]
#
#   --mode console   (default) the HMI owns the display from tty1 through KMS/DRM
#                    (ema-hmi.service); the Pi boots to the console, no desktop.
#   --mode desktop   the HMI starts full screen in the desktop session of --desktop-user
#                    (default: the user who ran sudo); ema-hmi.service stays disabled.
#   --tls            make a CA and server certificate (deploy/mosquitto/make-tls.sh) and switch
#                    the network listener (8883) to TLS. Kept on later runs.
#   --no-start       install and enable, but do not (re)start anything now.
#   --skip-apt       do not install Debian packages.
#
# What it does: Debian packages; system user "ema" (groups video, input, render); venv
# /opt/ema/.venv with this checkout installed (pip install ".[hmi]"); Mosquitto configuration
# (/etc/mosquitto/conf.d/ema.conf, /etc/mosquitto/ema/{acl,passwd}); broker users hmi, sim,
# injector (deploy/mosquitto/make-users.sh; passwords in /etc/ema/credentials/, root-only);
# systemd units; screen blanking off. See docs/raspberry-pi.md.
#
# EMA_ROOT installs into another root directory instead of / (used by tests/deploy).
set -euo pipefail

ROOT=${EMA_ROOT:-}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$SCRIPT_DIR/../.." && pwd)
DEPLOY=$SRC/deploy
VENV=$ROOT/opt/ema/.venv
SERVICE_USER=ema
APT_PACKAGES=(
    mosquitto mosquitto-clients openssl ca-certificates
    python3 python3-venv
    libmtdev1 libgl1 libegl1 libgles2 libgbm1 libdrm2 libgl1-mesa-dri
    fonts-noto-cjk fonts-noto-core
)

mode=console
desktop_user=${SUDO_USER:-}
tls=no
start=yes
apt=yes

die() {
    echo "install.sh: $*" >&2
    exit 1
}

step() {
    printf '\n==> %s\n' "$*"
}

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --mode)
            [ $# -ge 2 ] || die "--mode needs console or desktop"
            mode=$2
            shift 2
            ;;
        --desktop-user)
            [ $# -ge 2 ] || die "--desktop-user needs a user name"
            desktop_user=$2
            shift 2
            ;;
        --tls) tls=yes; shift ;;
        --no-start) start=no; shift ;;
        --skip-apt) apt=no; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
done
case "$mode" in
    console|desktop) ;;
    *) die "--mode must be console or desktop, not '$mode'" ;;
esac
[ "$(id -u)" = 0 ] || die "run me as root: sudo $0 $*"
if [ "$mode" = desktop ]; then
    if [ -z "$desktop_user" ] || [ "$desktop_user" = root ]; then
        die "--mode desktop needs --desktop-user USER (the user of the desktop session)"
    fi
    getent passwd "$desktop_user" >/dev/null || die "no such user: $desktop_user"
fi

# Copy a file only if it changed; keep the previous version as FILE.bak.
put_file() {
    local mode=$1 src=$2 dst=$3
    mkdir -p "$(dirname "$dst")"
    if [ -f "$dst" ] && cmp -s "$src" "$dst"; then
        chmod "$mode" "$dst"
        return 0
    fi
    if [ -f "$dst" ]; then
        cp -p "$dst" "$dst.bak"
        echo "   replaced $dst (previous version: $dst.bak)"
    else
        echo "   installed $dst"
    fi
    install -m "$mode" "$src" "$dst"
}

# ---------------------------------------------------------------------------------------------
step "Debian packages"
if [ "$apt" = yes ]; then
    missing=()
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends "${APT_PACKAGES[@]}"
    else
        echo "   all present"
    fi
else
    echo "   skipped (--skip-apt)"
fi

# ---------------------------------------------------------------------------------------------
step "service user $SERVICE_USER"
if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --user-group --create-home --home-dir /var/lib/ema \
        --shell /usr/sbin/nologin --comment "EMA cabin HMI services" "$SERVICE_USER"
fi
for group in video input render; do
    if getent group "$group" >/dev/null; then
        usermod -a -G "$group" "$SERVICE_USER"
    else
        echo "   warning: group $group does not exist, skipped" >&2
    fi
done

# ---------------------------------------------------------------------------------------------
step "Python venv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
# Dependencies first, then our package itself again: a plain reinstall of the same version from
# a directory could be skipped, and a git pull must always land.
"$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade "${SRC}[hmi]"
"$VENV/bin/python" -m pip install --disable-pip-version-check --force-reinstall --no-deps "$SRC"
for tool in ema-sim ema-hmi; do
    [ -x "$VENV/bin/$tool" ] \
        || echo "   warning: $VENV/bin/$tool is missing: its unit will fail to start" >&2
done
put_file 0755 "$DEPLOY/pi/ema-hmi-desktop.sh" "$ROOT/opt/ema/bin/ema-hmi-desktop"

# ---------------------------------------------------------------------------------------------
step "Mosquitto configuration"
broker_group=mosquitto
getent group "$broker_group" >/dev/null || broker_group=root
conf_dst=$ROOT/etc/mosquitto/conf.d/ema.conf
tls_on='^\(cafile\|certfile\|keyfile\) /etc/mosquitto/ema/tls/'
if [ -f "$conf_dst" ] && grep -q "$tls_on" "$conf_dst"; then
    tls=yes   # switched on before: keep it
fi
install -d -m 0750 "$ROOT/etc/mosquitto/ema"
chown "root:$broker_group" "$ROOT/etc/mosquitto/ema"
if [ "$tls" = yes ]; then
    EMA_TLS_DIR=$ROOT/etc/mosquitto/ema/tls EMA_CA_DIR=$ROOT/etc/ema/ca \
        EMA_BROKER_GROUP=$broker_group "$DEPLOY/mosquitto/make-tls.sh"
fi
conf_tmp=$(mktemp)
trap 'rm -f "$conf_tmp"' EXIT
if [ "$tls" = yes ]; then
    sed 's,^#\(cafile\|certfile\|keyfile\) \(/etc/mosquitto/ema/tls/\),\1 \2,' \
        "$DEPLOY/mosquitto/ema.conf" > "$conf_tmp"
else
    cp "$DEPLOY/mosquitto/ema.conf" "$conf_tmp"
fi
put_file 0644 "$conf_tmp" "$conf_dst"
put_file 0640 "$DEPLOY/mosquitto/acl" "$ROOT/etc/mosquitto/ema/acl"
chown "root:$broker_group" "$ROOT/etc/mosquitto/ema/acl"

step "broker users (passwords kept if they exist)"
EMA_PASSWD_FILE=$ROOT/etc/mosquitto/ema/passwd EMA_CREDENTIALS_DIR=$ROOT/etc/ema/credentials \
    EMA_BROKER_GROUP=$broker_group "$DEPLOY/mosquitto/make-users.sh"

step "command key (HMAC key the simulator verifies commands with; kept if it exists)"
key=$ROOT/etc/ema/credentials/command-key
if [ ! -s "$key" ]; then
    install -d -m 0700 "$ROOT/etc/ema/credentials"
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$key")
fi
chmod 0600 "$key"

# ---------------------------------------------------------------------------------------------
step "systemd units"
units=$ROOT/etc/systemd/system
put_file 0644 "$DEPLOY/systemd/ema-sim.service" "$units/ema-sim.service"
put_file 0644 "$DEPLOY/systemd/ema-hmi.service" "$units/ema-hmi.service"
put_file 0644 "$DEPLOY/systemd/mosquitto.service.d/ema.conf" \
    "$units/mosquitto.service.d/ema.conf"
systemctl daemon-reload
systemctl enable mosquitto.service ema-sim.service

if [ "$mode" = console ]; then
    systemctl enable ema-hmi.service
    if [ "$(systemctl get-default)" = graphical.target ]; then
        # A desktop session would hold the display; the HMI needs it on its own.
        systemctl set-default multi-user.target
        echo "   boot target is now multi-user.target (console); undo with:"
        echo "   sudo systemctl set-default graphical.target"
    fi
else
    systemctl disable ema-hmi.service 2>/dev/null || true
    home=$(getent passwd "$desktop_user" | cut -d: -f6)
    group=$(id -gn "$desktop_user")
    install -d -o "$desktop_user" -g "$group" -m 0755 "$ROOT$home/.config" \
        "$ROOT$home/.config/autostart"
    install -d -o "$desktop_user" -g "$group" -m 0700 "$ROOT$home/.config/ema"
    put_file 0644 "$DEPLOY/systemd/ema-hmi-desktop.desktop" \
        "$ROOT$home/.config/autostart/ema-hmi.desktop"
    chown "$desktop_user:$group" "$ROOT$home/.config/autostart/ema-hmi.desktop"
    install -o "$desktop_user" -g "$group" -m 0600 "$ROOT/etc/ema/credentials/hmi" \
        "$ROOT$home/.config/ema/mqtt-password"
    install -o "$desktop_user" -g "$group" -m 0600 "$ROOT/etc/ema/credentials/command-key" \
        "$ROOT$home/.config/ema/command-key"
    echo "   autostart for $desktop_user: $home/.config/autostart/ema-hmi.desktop"
fi

# ---------------------------------------------------------------------------------------------
step "screen blanking off"
cmdline=$ROOT/boot/firmware/cmdline.txt
[ -f "$cmdline" ] || cmdline=$ROOT/boot/cmdline.txt
if [ -f "$cmdline" ]; then
    if ! grep -Eq '(^| )consoleblank=0( |$)' "$cmdline"; then
        [ -e "$cmdline.ema-orig" ] || cp -p "$cmdline" "$cmdline.ema-orig"
        # One line only: drop any other consoleblank= value, append ours to the first line.
        sed -i -E '1 s/(^| )consoleblank=[0-9]+//g; 1 s/[[:space:]]*$/ consoleblank=0/' "$cmdline"
        echo "   added consoleblank=0 to $cmdline (takes effect after a reboot)"
    else
        echo "   consoleblank=0 already in $cmdline"
    fi
else
    echo "   warning: no cmdline.txt under $ROOT/boot: add consoleblank=0 yourself" >&2
fi
if [ "$mode" = desktop ]; then
    if command -v raspi-config >/dev/null 2>&1; then
        raspi-config nonint do_blanking 1
        echo "   desktop blanking off (raspi-config nonint do_blanking 1)"
    else
        echo "   warning: raspi-config not found: turn screen blanking off in the desktop" >&2
    fi
fi
config_txt=$ROOT/boot/firmware/config.txt
if [ -f "$config_txt" ] && ! grep -Eq '^dtoverlay=vc4-kms-v3d' "$config_txt"; then
    echo "   warning: $config_txt has no dtoverlay=vc4-kms-v3d: the HMI needs the KMS driver" >&2
fi

# ---------------------------------------------------------------------------------------------
step "start"
if [ "$start" = yes ]; then
    systemctl restart mosquitto.service
    systemctl restart ema-sim.service
    if [ "$mode" = console ] && [ "$(tty 2>/dev/null || true)" = /dev/tty1 ]; then
        # Starting the HMI takes tty1 from the login it conflicts with: this very session.
        echo "   running on tty1 itself: the HMI starts at the next boot (sudo reboot)"
    elif [ "$mode" = console ]; then
        systemctl restart ema-hmi.service
    else
        echo "   the HMI starts at the next desktop login of $desktop_user"
    fi
    echo "   logs: journalctl -u mosquitto -u ema-sim -u ema-hmi -f"
else
    echo "   not started (--no-start); reboot or: systemctl restart mosquitto ema-sim ema-hmi"
fi
echo
echo "Done. Broker passwords: /etc/ema/credentials/{hmi,sim,injector} (root only)."
