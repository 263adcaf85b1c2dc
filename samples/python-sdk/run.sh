#!/usr/bin/env bash
# Runs elb_sdk_flow.py, a complete ELB v3 flow made with the official Huawei Cloud Python SDK, against an Elb that
# ./run.sh started (it reads .run/credentials). Not part of ./test.sh: CI cannot fetch the SDK.
#
# The SDK is not on PyPI's reach here: give its source, a checkout of github.com/huaweicloud/huaweicloud-sdk-python-v3,
# as ELB_SDK_SOURCE (default ../huaweicloud-sdk-python-v3 beside this repository). Its dependencies come from Debian:
#   apt-get install python3-requests-toolbelt python3-simplejson python3-yaml python3-six python3-bson \
#     python3-certifi python3-defusedxml python3-pyasn1
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sdk=${ELB_SDK_SOURCE:-$here/../../../huaweicloud-sdk-python-v3}
for package in huaweicloud-sdk-core huaweicloud-sdk-elb; do
  [ -d "$sdk/$package" ] || { echo "no $sdk/$package: set ELB_SDK_SOURCE to a checkout of huaweicloud-sdk-python-v3" >&2; exit 2; }
done
PYTHONPATH="$sdk/huaweicloud-sdk-core:$sdk/huaweicloud-sdk-elb" exec /usr/bin/python3 "$here/elb_sdk_flow.py" "$@"
