#!/bin/sh
# Makes the certificates tls.test.ts uses: a private certificate authority, and a certificate for
# 127.0.0.1 signed by it, both valid for a century so the fixtures never expire under the tests.
set -e
cd "$(dirname "$0")"
openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj '/CN=Model Factory Test CA' \
  -keyout ca.key -out ca.pem
openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 \
  -extfile server.ext -out server.pem
rm -f server.csr server.ext ca.srl ca.key
