#!/bin/bash
# Runs inside LocalStack when it is ready. Brigade's resources come from `npm run deploy:localstack`
# (the same CloudFormation as AWS), so this only reports what the deploy can count on.
set -u
echo "brigade: LocalStack is ready; deploy with: npm run deploy:localstack"
if awslocal iot describe-endpoint --endpoint-type iot:Data-ATS >/dev/null 2>&1; then
  echo "brigade: IoT Core is available (topic rules and the data plane will deploy)"
else
  echo "brigade: IoT Core is NOT available in this LocalStack tier; the IoT rule and data-plane calls will fail"
fi
