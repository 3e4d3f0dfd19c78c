// Sign-in (登录): sign the server's challenge with an Ed25519 key file, in the browser (WebCrypto).
// The private key is read from the chosen file and used here only; the server sees the signature.
"use strict";

const AUTH_CONTEXT = "dangyuan-ledger/auth/v1\n";

function pemToDer(pem) {
  const match = pem.match(/-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/);
  if (!match) throw new Error("不是 PKCS#8 私钥文件（需要 BEGIN PRIVATE KEY）");
  return base64ToBytes(match[1].replace(/\s+/g, ""));
}

function base64ToBytes(text) {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64UrlToBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  return base64ToBytes(padded);
}

function bytesToBase64(bytes) {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function keyIdOf(privateKey) {
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const digest = await crypto.subtle.digest("SHA-256", base64UrlToBytes(jwk.x));
  return hex(digest).slice(0, 16);
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = `${problem.title || ""} ${problem.detail || ""}`.trim();
    } catch (ignored) {
      // not a problem document
    }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response.status === 204 ? null : response.json();
}

async function signIn(actor, file) {
  const der = pemToDer(await file.text());
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, true, ["sign"]);
  const keyId = await keyIdOf(key);
  const challenge = await postJson("/auth/challenge", { actor, key: keyId });
  const prefix = new TextEncoder().encode(AUTH_CONTEXT + challenge.origin + "\n");
  const nonce = base64UrlToBytes(challenge.nonce);
  const message = new Uint8Array(prefix.length + nonce.length);
  message.set(prefix);
  message.set(nonce, prefix.length);
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, key, message);
  const token = await postJson("/auth/token", {
    actor, key: keyId, nonce: challenge.nonce, signature: bytesToBase64(signature),
  });
  await postJson("/ui/session", { token: token.access_token });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("sign-in");
  const status = document.getElementById("status");
  const demo = document.getElementById("demo-actor");
  if (demo) {
    demo.addEventListener("change", () => {
      const option = demo.selectedOptions[0];
      document.getElementById("actor").value = demo.value;
      document.getElementById("demo-key-path").textContent = option.dataset.key
        ? `请选择私钥文件：${option.dataset.key}` : "";
    });
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const actor = document.getElementById("actor").value.trim();
    const file = document.getElementById("key-file").files[0];
    status.className = "";
    status.textContent = "正在签名…";
    try {
      await signIn(actor, file);
      status.textContent = "登录成功";
      window.location.assign(form.dataset.next || "/ui/members");
    } catch (error) {
      status.className = "bad";
      status.textContent = `登录失败：${error.message}`;
    }
  });
});
