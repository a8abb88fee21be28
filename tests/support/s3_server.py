"""A real S3-compatible server for tests/deploy.rs: moto's server mode on
127.0.0.1, with request signing enforced (moto's IAM authentication), a user
allowed everything on S3, and one empty bucket.

Usage: python3 s3_server.py PORT BUCKET
Prints one line of JSON {"access_key": ..., "secret_key": ...} once ready,
then serves until killed (or until its standard input closes, so a test
that dies does not leave it running).
"""

import json
import logging
import os
import sys

# The first requests (creating the user, its key and the bucket) are made
# before any key exists; every request after them must be signed by a key
# moto's IAM knows, so wrong credentials are refused as by a real store.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "4"

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}


def main():
    port, bucket = int(sys.argv[1]), sys.argv[2]
    # One log line per request would fill the test's pipe and stall the server.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    setup = dict(endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id="setup", aws_secret_access_key="setup")
    iam = boto3.client("iam", **setup)
    iam.create_user(UserName="publisher")
    iam.put_user_policy(UserName="publisher", PolicyName="s3", PolicyDocument=json.dumps(POLICY))
    key = iam.create_access_key(UserName="publisher")["AccessKey"]
    boto3.client("s3", **setup).create_bucket(Bucket=bucket)
    print(json.dumps({"access_key": key["AccessKeyId"], "secret_key": key["SecretAccessKey"]}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
