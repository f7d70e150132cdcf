"""AES-256-GCM with pycryptodome, one message per line, for PayloadCipherPythonTest.

    aes_gcm_lines.py seal   each stdin line: base64 of a plaintext -> base64(nonce | tag | ciphertext)
    aes_gcm_lines.py seal-default-nonce   the same without choosing the nonce: pycryptodome then
                            draws 16 bytes, which does not fit the 12-byte layout
    aes_gcm_lines.py open   each stdin line: base64(nonce | tag | ciphertext) -> base64 of the plaintext,
                            or "REFUSED <reason>" when the tag does not verify

The key (base64 of 32 bytes) is read from the environment variable PAYLOAD_ENCRYPTION_KEY.
"""
import base64
import os
import sys

try:
    from Cryptodome.Cipher import AES  # Debian's python3-pycryptodome
except ImportError:
    from Crypto.Cipher import AES  # the same library installed from PyPI

key = base64.b64decode(os.environ["PAYLOAD_ENCRYPTION_KEY"])
assert len(key) == 32, "AES-256 needs a 32-byte key"
mode = sys.argv[1]

for line in sys.stdin:
    line = line.strip()
    if mode.startswith("seal"):
        if mode == "seal":
            cipher = AES.new(key, AES.MODE_GCM, nonce=os.urandom(12))
        else:
            cipher = AES.new(key, AES.MODE_GCM)
        ciphertext, tag = cipher.encrypt_and_digest(base64.b64decode(line))
        print(base64.b64encode(cipher.nonce + tag + ciphertext).decode())
    else:
        raw = base64.b64decode(line)
        cipher = AES.new(key, AES.MODE_GCM, nonce=raw[:12])
        try:
            plain = cipher.decrypt_and_verify(raw[28:], raw[12:28])
            print(base64.b64encode(plain).decode())
        except ValueError as e:
            print("REFUSED " + str(e))
    sys.stdout.flush()
