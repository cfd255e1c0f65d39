// An entry's inclusion proof, checked in the reader's browser with Web Crypto (no other code), from the
// log's static C2SP tiles alone (/tlog/, which any mirror or cache may serve): the entry's leaf data is
// cut from its entry bundle, hashed as RFC 6962 does (SHA-256 of 0x00 and the data); the proof path is
// computed from the hash tiles of the signed tree (RFC 9162 PATH over the tlog layout, as
// transparency/tiles.py reads it) and must be the path the page shows; it is folded by the RFC 9162
// §2.1.3.2 verification algorithm and the result compared with the root in the signed checkpoint; the
// checkpoint's Ed25519 signature is checked with the verifier key where the browser supports Ed25519.
// Its input is the page's JSON data block (#proof-data); `window.mingzhangProof.check()` runs it again.
"use strict";
(function () {
  const encoder = new TextEncoder();

  function unhex(text) {
    if (!/^([0-9a-f]{2})*$/.test(text)) throw new Error("not hex");
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    return bytes;
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function unbase64(text) {
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function equal(a, b) {
    return a.length === b.length && a.every((value, i) => value === b[i]);
  }

  async function sha256(...parts) {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  }

  const leafHash = (data) => sha256(Uint8Array.of(0), data);
  const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);

  // RFC 9162 §2.1.3.2. BigInt, so trees beyond 2^32 leaves work as in transparency/merkle.py.
  async function rootFromProof(index, size, leaf, path) {
    let fn = BigInt(index);
    let sn = BigInt(size) - 1n;
    if (fn > sn) return null;
    let r = leaf;
    for (const p of path) {
      if (p.length !== 32 || sn === 0n) return null;
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n ? r : null;
  }

  // A C2SP checkpoint in a signed note: the text, a blank line, one signature line per signer.
  function parseNote(note) {
    const cut = note.lastIndexOf("\n\n");
    if (cut < 0) return null;
    const text = note.slice(0, cut + 1);
    const lines = text.split("\n");
    return {
      text: text,
      origin: lines[0],
      size: lines[1],
      root: unbase64(lines[2] || ""),
      signatures: note.slice(cut + 2).split("\n").filter((line) => line.length > 0),
    };
  }

  async function signatureValid(parsed, verifierKey) {
    const parts = verifierKey.trim().split("+");
    if (parts.length < 3) return false;
    const name = parts[0];
    const keyId = unhex(parts[1]);
    const raw = unbase64(parts.slice(2).join("+"));
    if (raw.length !== 33 || raw[0] !== 1) return false;
    const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, [
      "verify",
    ]);
    const prefix = "\u2014 " + name + " ";
    for (const line of parsed.signatures) {
      if (!line.startsWith(prefix)) continue;
      const blob = unbase64(line.slice(prefix.length));
      if (!equal(blob.slice(0, 4), keyId)) continue;
      return crypto.subtle.verify({ name: "Ed25519" }, key, blob.slice(4), encoder.encode(parsed.text));
    }
    return false;
  }

  async function ed25519Supported() {
    try {
      await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "Ed25519" }, false, ["verify"]);
      return true;
    } catch (error) {
      return false;
    }
  }

  function show(element, text, good) {
    element.textContent = text;
    element.classList.toggle("valid", good === true);
    element.classList.toggle("invalid", good === false);
  }

  // C2SP tlog-tiles: a tile holds up to 256 hashes of tree level 8·L; its index is written in
  // 3-digit path elements, all but the last prefixed by "x"; a partial tile ends in .p/<width>.
  function indexPath(n) {
    let path = (n % 1000n).toString().padStart(3, "0");
    while (n >= 1000n) {
      n /= 1000n;
      path = "x" + (n % 1000n).toString().padStart(3, "0") + "/" + path;
    }
    return path;
  }

  function widthAt(level, index, size) {
    const width = (size >> (8n * level)) - index * 256n;
    return width > 256n ? 256n : width;
  }

  function tilePath(level, index, width) {
    return "tile/" + level + "/" + indexPath(index) + (width === 256n ? "" : ".p/" + width);
  }

  async function fetchTile(prefix, path) {
    const answer = await fetch(prefix + path);
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    return new Uint8Array(await answer.arrayBuffer());
  }

  // Entry `index` of the tree of `size`, cut from its entry bundle (uint16 length-prefixed entries).
  async function leafData(prefix, index, size) {
    const tile = index / 256n;
    const bundle = await fetchTile(prefix, tilePath("entries", tile, widthAt(0n, tile, size)));
    let at = 0;
    for (let i = 0n; at + 2 <= bundle.length; i++) {
      const length = (bundle[at] << 8) | bundle[at + 1];
      if (at + 2 + length > bundle.length) break;
      if (i === index % 256n) return bundle.slice(at + 2, at + 2 + length);
      at += 2 + length;
    }
    throw new Error("the entry is not in its bundle");
  }

  function bitLength(n) {
    return n.toString(2).length;
  }

  function splitPoint(n) {
    let k = 1n;
    while (k << 1n < n) k <<= 1n;
    return k;
  }

  // transparency/tlog.py's range_root and inclusion_path, over an async read(level, index).
  async function rangeRoot(read, start, size) {
    const level = BigInt(bitLength(size) - 1);
    if (size === 1n << level && start % size === 0n) return read(level, start >> level);
    const k = splitPoint(size);
    return nodeHash(await rangeRoot(read, start, k), await rangeRoot(read, start + k, size - k));
  }

  async function inclusionPath(read, index, size, start) {
    if (size === 1n) return [];
    const k = splitPoint(size);
    if (index < k) {
      return [...(await inclusionPath(read, index, k, start)), await rangeRoot(read, start + k, size - k)];
    }
    return [...(await inclusionPath(read, index - k, size - k, start + k)), await rangeRoot(read, start, k)];
  }

  // PATH(index, D[size]) from the hash tiles: a first pass notes the tiles the path reads, they are
  // fetched, and a second pass hashes each node from its tile (2^r hashes of tile level L for a node
  // of level 8·L + r).
  async function pathFromTiles(prefix, index, size) {
    const wanted = new Map();
    const tileOf = (level, index) => {
      const first = index << level % 8n;
      return { level: level / 8n, index: first / 256n, offset: Number(first % 256n) };
    };
    await inclusionPath(
      async (level, index) => {
        const at = tileOf(level, index);
        wanted.set(at.level + "/" + at.index, tilePath(at.level, at.index, widthAt(at.level, at.index, size)));
        return new Uint8Array(32);
      },
      index,
      size,
      0n,
    );
    const tiles = new Map();
    await Promise.all(
      Array.from(wanted, async ([key, path]) => tiles.set(key, await fetchTile(prefix, path))),
    );
    return inclusionPath(
      async (level, index) => {
        const at = tileOf(level, index);
        const tile = tiles.get(at.level + "/" + at.index);
        const count = 1 << Number(level % 8n);
        if (!tile || tile.length < (at.offset + count) * 32) throw new Error("a tile is too short");
        let hashes = [];
        for (let i = 0; i < count; i++) hashes.push(tile.slice((at.offset + i) * 32, (at.offset + i + 1) * 32));
        while (hashes.length > 1) {
          const up = [];
          for (let i = 0; i < hashes.length; i += 2) up.push(await nodeHash(hashes[i], hashes[i + 1]));
          hashes = up;
        }
        return hashes[0];
      },
      index,
      size,
      0n,
    );
  }

  // True when the proof holds. Reads the data block afresh each time, so a changed block is checked.
  async function checkProof(data, status) {
    const m = data.messages;
    // Web Crypto exists only in a secure context (HTTPS, or localhost): without it nothing can be
    // recomputed, which says nothing about the proof.
    if (!window.crypto || !window.crypto.subtle) {
      show(status, m["check.insecure"], null);
      return null;
    }
    show(status, m["check.running"], null);
    let leaf, path;
    try {
      const index = BigInt(data.index);
      const size = BigInt(data.size);
      [leaf, path] = await Promise.all([
        leafData(data.tiles, index, size),
        pathFromTiles(data.tiles, index, size),
      ]);
    } catch (error) {
      show(status, m["check.failed"], false);
      return false;
    }
    let valid = false;
    try {
      const parsed = parseNote(data.note);
      const hashed = await leafHash(leaf);
      const root = await rootFromProof(data.index, data.size, hashed, path);
      valid =
        parsed !== null &&
        parsed.size === String(data.size) &&
        hex(hashed) === data.leaf_hash &&
        path.length === data.path.length &&
        path.every((h, i) => hex(h) === data.path[i]) &&
        root !== null &&
        equal(root, parsed.root);
    } catch (error) {
      valid = false;
    }
    show(status, valid ? m["check.valid"] : m["check.invalid"], valid);
    return valid;
  }

  async function checkSignature(data, status) {
    const m = data.messages;
    if (!window.crypto || !window.crypto.subtle) {
      show(status, m["check.insecure"], null);
      return null;
    }
    if (!(await ed25519Supported())) {
      show(status, m["signature.unsupported"], null);
      return null;
    }
    let valid = false;
    try {
      const parsed = parseNote(data.note);
      valid = parsed !== null && (await signatureValid(parsed, data.key));
    } catch (error) {
      valid = false;
    }
    show(status, valid ? m["signature.valid"] : m["signature.invalid"], valid);
    return valid;
  }

  async function check() {
    const block = document.getElementById("proof-data");
    const proofStatus = document.getElementById("proof-status");
    const signatureStatus = document.getElementById("signature-status");
    if (!block || !proofStatus || !signatureStatus) return null;
    const data = JSON.parse(block.textContent);
    const proof = await checkProof(data, proofStatus);
    const signature = await checkSignature(data, signatureStatus);
    return { proof: proof, signature: signature };
  }

  window.mingzhangProof = { check: check, rootFromProof: rootFromProof, pathFromTiles: pathFromTiles };
  window.mingzhangProof.done = check();
})();
