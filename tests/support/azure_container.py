"""Creates a container in Azurite (the Azure Storage emulator that
tests/deploy_azure.rs starts), with Microsoft's own client library: esim's
deploy expects the container to exist, as it expects an S3 bucket to.

Usage: python3 azure_container.py BLOB_ENDPOINT CONTAINER
(BLOB_ENDPOINT such as http://127.0.0.1:10000/devstoreaccount1)
"""

import sys

from azure.storage.blob import BlobServiceClient

# Azurite's documented development account (the same in every installation).
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def main():
    endpoint, container = sys.argv[1], sys.argv[2]
    client = BlobServiceClient(account_url=endpoint, credential={"account_name": ACCOUNT, "account_key": KEY})
    client.create_container(container)


if __name__ == "__main__":
    main()
