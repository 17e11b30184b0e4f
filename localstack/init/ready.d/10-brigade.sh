#!/bin/bash
# Runs inside LocalStack when it is ready. Brigade's resources come from `npm run deploy:localstack` (the same
# CloudFormation as AWS), so this only reports what this LocalStack's tier can run of Brigade. A service outside the
# licence (or left out of SERVICES) answers HTTP 501, which the CLI reports as an InternalFailure; any other answer
# (a not-found included) means the service is there. scripts/localstack-capabilities.ts probes the same three calls.
set -u

has() { # has <label> <awslocal args…>
  local label=$1 out
  shift
  if out=$(awslocal "$@" 2>&1) || ! grep -q 'InternalFailure\|501' <<<"$out"; then
    echo "brigade:   yes  $label"
  else
    echo "brigade:   NO   $label ($(grep -o 'The API for service[^.]*\|not yet implemented[^-]*\|not enabled[^.]*' <<<"$out" | head -1))"
  fi
}

echo "brigade: LocalStack is ready: $(curl -s localhost:4566/_localstack/info)"
echo "brigade: what this tier can run of Brigade:"
has 'API Gateway v2: the HTTP API and the WebSocket API (Base tier or higher)' apigatewayv2 get-apis
has 'IoT Core: MQTT broker, topic rule, device policy (Base tier or higher)' iot describe-endpoint --endpoint-type iot:Data-ATS
has 'IoT data plane: device shadows and commands (LocalStack lists it under Ultimate)' iot-data get-thing-shadow --thing-name brigade-capability-probe /dev/null
echo "brigade: deploy with: npm run deploy:localstack (it refuses a tier without API Gateway v2 or IoT Core, saying why)"
