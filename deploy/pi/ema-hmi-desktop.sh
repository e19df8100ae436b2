#!/usr/bin/env bash
# Start the EMA cabin HMI full screen inside a desktop session (installed as
# /opt/ema/bin/ema-hmi-desktop, started by ~/.config/autostart/ema-hmi.desktop).
#
# Reads the broker password of user "hmi" from ~/.config/ema/mqtt-password (0600, made by
# deploy/pi/install.sh --mode desktop). Override with the usual variables, e.g.
# EMA_HMI_PROFILE, EMA_BROKER, EMA_VEHICLE, EMA_MQTT_PASSWORD_FILE; extra arguments are passed on.
set -euo pipefail

config_dir="${XDG_CONFIG_HOME:-$HOME/.config}/ema"
export EMA_MQTT_USERNAME="${EMA_MQTT_USERNAME:-hmi}"
export EMA_MQTT_PASSWORD_FILE="${EMA_MQTT_PASSWORD_FILE:-$config_dir/mqtt-password}"
export EMA_COMMAND_KEY_FILE="${EMA_COMMAND_KEY_FILE:-$config_dir/command-key}"
export EMA_BROKER="${EMA_BROKER:-mqtt://127.0.0.1:1883}"
# Kivy's SDL2 has no Wayland backend: X11 through Xwayland.
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-x11}"
export KIVY_HOME="${KIVY_HOME:-${XDG_STATE_HOME:-$HOME/.local/state}/ema-hmi/kivy}"
export KIVY_NO_ARGS=1
export KCFG_GRAPHICS_SHOW_CURSOR="${KCFG_GRAPHICS_SHOW_CURSOR:-0}"
mkdir -p "$KIVY_HOME"

if [ ! -r "$EMA_MQTT_PASSWORD_FILE" ]; then
    echo "ema-hmi-desktop: cannot read $EMA_MQTT_PASSWORD_FILE (see docs/raspberry-pi.md)" >&2
fi
exec /opt/ema/.venv/bin/ema-hmi --broker "$EMA_BROKER" --profile "${EMA_HMI_PROFILE:-pi7}" \
    --fullscreen "$@"
