#!/usr/bin/env bash
# Telemetry end to end: provision a unit over HTTP, publish one reading as that unit over MQTT with mosquitto_pub,
# then read the stored reading back over HTTP. The unit is decommissioned on the way out.
# Needs curl, node and mosquitto_pub (Debian/Ubuntu: apt-get install mosquitto-clients) and a running `npm start`.
#
#   bash examples/telemetry.sh
#   BRIGADE_HTTP_PORT=24000 BRIGADE_MQTT_PORT=24083 bash examples/telemetry.sh    # a stack on other ports
#
# Locally the broker takes plain MQTT and holds the client id to the device policy (the client id is the thing
# name). On AWS IoT Core (BRIGADE_MQTT_URL=mqtts://<endpoint>:8883, BRIGADE_MQTT_CA_FILE=AmazonRootCA1.pem) the
# script presents the certificate and key from the registration response instead.
set -euo pipefail

api=${BRIGADE_API_URL:-http://127.0.0.1:${BRIGADE_HTTP_PORT:-3000}}
mqtt=${BRIGADE_MQTT_URL:-mqtt://127.0.0.1:${BRIGADE_MQTT_PORT:-1883}}
site=${BRIGADE_DEMO_SITE:-demo-bistro}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
device=""
token=""

# The value at a dotted path (a.b.0.c) of the JSON on stdin; exit 1 when there is none.
field() {
  node -e '
    let text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => {
      let value = JSON.parse(text);
      for (const key of process.argv[1].split(".")) value = value == null ? undefined : value[key];
      if (value === undefined) process.exit(1);
      console.log(typeof value === "string" ? value : JSON.stringify(value));
    });' "$1"
}

cleanup() {
  if [[ -n "$device" ]]; then
    curl -sf -o /dev/null -X DELETE "$api/sites/$site/devices/$device" -H "authorization: Bearer $token" &&
      echo "decommissioned $device" || echo "could not decommission $device" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

password=${BRIGADE_MANAGER_PASSWORD:-$(node -e '
  const file = process.argv[1];
  const users = require("fs").existsSync(file) ? JSON.parse(require("fs").readFileSync(file, "utf8")) : [];
  console.log(users.find((u) => u.role === "manager")?.password ?? "");' "$root/.local/demo-credentials-${BRIGADE_STAGE:-local}.json")}
if [[ -z "$password" ]]; then
  echo "No demo manager password: start the stack with npm start, or set BRIGADE_MANAGER_PASSWORD" >&2
  exit 1
fi

echo "sign in as manager@demo-bistro.example at $api"
token=$(curl -sf -X POST "$api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"manager@demo-bistro.example\",\"password\":\"$password\"}" | field accessToken)

id="telemetry-example-$(date +%s)-$RANDOM"
curl -sf -X POST "$api/sites/$site/devices" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"deviceId\":\"$id\",\"type\":\"fridge\",\"name\":\"Telemetry example\"}" > "$work/device.json"
device=$id
client_id=$(field connection.clientId < "$work/device.json")
topic=$(field connection.telemetryTopic < "$work/device.json")
field credentials.certificatePem < "$work/device.json" > "$work/device.pem.crt"
field credentials.privateKey < "$work/device.json" > "$work/private.pem.key"
echo "provisioned $device: client id $client_id, topic $topic"

host_port=${mqtt#*://}
tls=()
if [[ $mqtt == mqtts://* ]]; then
  tls=(--cert "$work/device.pem.crt" --key "$work/private.pem.key" ${BRIGADE_MQTT_CA_FILE:+--cafile "$BRIGADE_MQTT_CA_FILE"})
fi
reading="{\"t\":$(node -p 'Date.now()'),\"temperatureC\":3.4,\"batteryPct\":97,\"seq\":1}"
mosquitto_pub -h "${host_port%%:*}" -p "${host_port##*:}" -i "$client_id" -t "$topic" -q 1 -m "$reading" "${tls[@]}"
echo "published $reading"

# The topic rule invokes ingest asynchronously: poll until the reading is stored (at most ~15 s).
for _ in $(seq 1 60); do
  stored=$(curl -sf "$api/sites/$site/devices/$device/readings?limit=1" -H "authorization: Bearer $token" | field readings.0 || true)
  if [[ -n "$stored" ]]; then
    echo "stored: $stored"
    exit 0
  fi
  sleep 0.25
done
echo "the reading was not stored within 15 s" >&2
exit 1
