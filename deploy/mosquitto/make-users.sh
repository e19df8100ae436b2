#!/usr/bin/env bash
# Create or update the Mosquitto password file for the EMA roles: hmi, sim, injector.
#
#   sudo deploy/mosquitto/make-users.sh                    keep existing passwords, create missing
#   sudo deploy/mosquitto/make-users.sh --rotate injector  new random password for one role
#   sudo EMA_MQTT_PASSWORD_INJECTOR=... deploy/mosquitto/make-users.sh   set a chosen password
#
# Where each password comes from, first match wins:
#   1. the environment: EMA_MQTT_PASSWORD_HMI, EMA_MQTT_PASSWORD_SIM, EMA_MQTT_PASSWORD_INJECTOR
#   2. the role's credential file, if it exists and --rotate does not name the role
#   3. a new random password (24 characters from /dev/urandom)
# Every password is then written to its credential file, root-only (0600), one line:
#   /etc/ema/credentials/{hmi,sim,injector}
# systemd hands the hmi and sim files to the services (LoadCredential= in the units); the
# injector file is what the test engineer copies to the laptop.
#
# Secrets never appear on a command line (where any local user could read them from the process
# list), in the output or in a log: the credential files are written by the shell's printf
# builtin, and mosquitto_passwd reads each password from its standard input; its batch mode
# (-b) would put the password into its argv.
#
# Paths and the broker's group can be changed for tests and other layouts:
#   EMA_PASSWD_FILE (/etc/mosquitto/ema/passwd), EMA_CREDENTIALS_DIR (/etc/ema/credentials),
#   EMA_BROKER_GROUP (mosquitto: the password file is root:mosquitto 0640 so that the broker,
#   which drops root before reading it, can read it on start and on reload).
# After a change: systemctl reload mosquitto; systemctl restart ema-sim ema-hmi.
set -euo pipefail
umask 077

PASSWD_FILE=${EMA_PASSWD_FILE:-/etc/mosquitto/ema/passwd}
CRED_DIR=${EMA_CREDENTIALS_DIR:-/etc/ema/credentials}
BROKER_GROUP=${EMA_BROKER_GROUP:-mosquitto}
ROLES=(hmi sim injector)

usage() {
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
}

die() {
    echo "make-users.sh: $*" >&2
    exit 1
}

rotate=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rotate)
            [ $# -ge 2 ] || die "--rotate needs a role (${ROLES[*]})"
            rotate+=("$2")
            shift 2
            ;;
        -h|--help)
            usage
            exit 0
            ;;
        *)
            die "unknown argument: $1 (try --help)"
            ;;
    esac
done

is_role() {
    local role
    for role in "${ROLES[@]}"; do
        [ "$role" = "$1" ] && return 0
    done
    return 1
}

for role in "${rotate[@]+"${rotate[@]}"}"; do
    is_role "$role" || die "unknown role '$role' (roles: ${ROLES[*]})"
done

wants_rotation() {
    local role
    for role in "${rotate[@]+"${rotate[@]}"}"; do
        [ "$role" = "$1" ] && return 0
    done
    return 1
}

command -v mosquitto_passwd >/dev/null 2>&1 \
    || die "mosquitto_passwd not found: apt-get install mosquitto"

random_password() {
    # 18 random bytes -> 24 URL-safe base64 characters (no '/', '+', '=' or whitespace).
    head -c 18 /dev/urandom | base64 | tr '+/' '-_'
}

check_password() {
    local role=$1 password=$2
    [ -n "$password" ] || die "the password for $role is empty"
    case "$password" in
        *$'\n'*|*$'\r'*) die "the password for $role contains a line break" ;;
    esac
    # The tools strip the password file they read, so surrounding blanks would be lost.
    if [ "$password" != "${password#[[:space:]]}" ] || [ "$password" != "${password%[[:space:]]}" ]
    then
        die "the password for $role starts or ends with whitespace"
    fi
}

mkdir -p "$CRED_DIR"
chmod 0700 "$CRED_DIR"
passwd_dir=$(dirname "$PASSWD_FILE")
created_passwd_dir=no
if [ ! -d "$passwd_dir" ]; then
    mkdir -p "$passwd_dir"
    created_passwd_dir=yes
fi

# Build the new password file beside the old one and move it into place at the end, so the
# broker never reads a half-written file.
new_passwd=$(mktemp "$passwd_dir/.passwd.XXXXXX")
trap 'rm -f "$new_passwd"' EXIT

for role in "${ROLES[@]}"; do
    env_name="EMA_MQTT_PASSWORD_${role^^}"
    cred_file="$CRED_DIR/$role"
    source="kept"
    password=""
    if [ -n "${!env_name:-}" ]; then
        password=${!env_name}
        source="from \$$env_name"
    elif [ -s "$cred_file" ] && ! wants_rotation "$role"; then
        IFS= read -r password < "$cred_file" || true
    fi
    if [ -z "$password" ]; then
        password=$(random_password)
        source="new random"
    fi
    check_password "$role" "$password"

    if [ "$source" != "kept" ]; then
        tmp_cred=$(mktemp "$CRED_DIR/.$role.XXXXXX")
        printf '%s\n' "$password" > "$tmp_cred"
        chmod 0600 "$tmp_cred"
        mv -f "$tmp_cred" "$cred_file"
    fi
    chmod 0600 "$cred_file"

    # The password twice (mosquitto_passwd asks for confirmation), through a pipe, not argv.
    printf '%s\n%s\n' "$password" "$password" \
        | mosquitto_passwd "$new_passwd" "$role" >/dev/null \
        || die "mosquitto_passwd failed for $role"
    echo "user $role: password $source, credential file $cred_file"
done
unset password

if [ "$(id -u)" = 0 ]; then
    chown root:root "$CRED_DIR" "$CRED_DIR"/*
    if getent group "$BROKER_GROUP" >/dev/null 2>&1; then
        chown "root:$BROKER_GROUP" "$new_passwd"
        chmod 0640 "$new_passwd"
        if [ "$created_passwd_dir" = yes ]; then
            chown "root:$BROKER_GROUP" "$passwd_dir"
            chmod 0750 "$passwd_dir"
        fi
    else
        echo "make-users.sh: group '$BROKER_GROUP' not found, $PASSWD_FILE stays root-only" >&2
        chmod 0600 "$new_passwd"
    fi
else
    chmod 0600 "$new_passwd"
fi
mv -f "$new_passwd" "$PASSWD_FILE"
trap - EXIT
echo "wrote $PASSWD_FILE (${ROLES[*]})"
