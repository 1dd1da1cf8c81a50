// Proof of work for sending an opinion without an account (ALTCHA v1 scheme). Included only
// on that form. It fetches nothing: the signed challenge is in the page (data-challenge); we
// find n with SHA-256(salt + n) == challenge, in small batches so the page stays responsive,
// and put the solution in the hidden `proof` field. Without JavaScript the page says how to
// send anyway (sign in with a text-message code first).
(function () {
  'use strict';

  function hex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return s;
  }

  // crypto.subtle exists only on HTTPS (or localhost); a county intranet may serve plain
  // HTTP, so a small SHA-256 is kept as a fallback. Input here is ASCII (salt and digits).
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];
  function sha256Ascii(str) {
    var len = str.length;
    var words = new Array(((len + 9 + 63) >> 6) << 4).fill(0);
    for (var i = 0; i < len; i++) words[i >> 2] |= (str.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
    words[len >> 2] |= 0x80 << (24 - (len % 4) * 8);
    words[words.length - 1] = len * 8;
    var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var b = 0; b < words.length; b += 16) {
      var a0 = H[0], a1 = H[1], a2 = H[2], a3 = H[3], a4 = H[4], a5 = H[5], a6 = H[6], a7 = H[7];
      for (var t = 0; t < 64; t++) {
        if (t < 16) w[t] = words[b + t] | 0;
        else {
          var x = w[t - 15], y = w[t - 2];
          var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
          var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
          w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
        }
        var S1 = ((a4 >>> 6) | (a4 << 26)) ^ ((a4 >>> 11) | (a4 << 21)) ^ ((a4 >>> 25) | (a4 << 7));
        var ch = (a4 & a5) ^ (~a4 & a6);
        var t1 = (a7 + S1 + ch + K[t] + w[t]) | 0;
        var S0 = ((a0 >>> 2) | (a0 << 30)) ^ ((a0 >>> 13) | (a0 << 19)) ^ ((a0 >>> 22) | (a0 << 10));
        var maj = (a0 & a1) ^ (a0 & a2) ^ (a1 & a2);
        var t2 = (S0 + maj) | 0;
        a7 = a6; a6 = a5; a5 = a4; a4 = (a3 + t1) | 0; a3 = a2; a2 = a1; a1 = a0; a0 = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a0) | 0; H[1] = (H[1] + a1) | 0; H[2] = (H[2] + a2) | 0; H[3] = (H[3] + a3) | 0;
      H[4] = (H[4] + a4) | 0; H[5] = (H[5] + a5) | 0; H[6] = (H[6] + a6) | 0; H[7] = (H[7] + a7) | 0;
    }
    var out = '';
    for (var k = 0; k < 8; k++) out += ('00000000' + (H[k] >>> 0).toString(16)).slice(-8);
    return out;
  }

  var subtle = window.crypto && window.crypto.subtle;
  var encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;
  function digest(str) {
    if (subtle && encoder) return subtle.digest('SHA-256', encoder.encode(str)).then(function (buf) { return hex(new Uint8Array(buf)); });
    return Promise.resolve(sha256Ascii(str));
  }

  /** Calls done(n) with the solution, or done(null) when none is found up to maxnumber. */
  function solve(c, done) {
    var max = typeof c.maxnumber === 'number' ? c.maxnumber : 1000000;
    var n = 0;
    var BATCH = 500;
    function step() {
      var from = n;
      var batch = [];
      for (; batch.length < BATCH && n <= max; n++) batch.push(digest(c.salt + n));
      Promise.all(batch).then(function (hashes) {
        for (var j = 0; j < hashes.length; j++) if (hashes[j] === c.challenge) return done(from + j);
        if (n > max) return done(null);
        setTimeout(step, 0);
      }, function () { done(null); });
    }
    step();
  }

  function start(box) {
    var form = box.closest('form');
    var input = box.querySelector('[data-pow-proof]');
    var status = box.querySelector('[data-pow-status]');
    var challenge;
    try { challenge = JSON.parse(box.getAttribute('data-challenge') || ''); } catch (e) { challenge = null; }
    if (!form || !input || !challenge) return;
    var state = 'working';
    var waiting = null;
    var sent = false;
    function say(key) { if (status) status.textContent = box.getAttribute('data-' + key) || ''; }
    say('working');
    solve(challenge, function (number) {
      if (number === null) { state = 'failed'; say('failed'); return; }
      input.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: number, salt: challenge.salt, signature: challenge.signature,
      }));
      state = 'done';
      say('done');
      if (waiting) {
        var button = waiting;
        waiting = null;
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
      }
    });
    // "Send" pressed before the check finished: wait for it, then send. Once sent, a second
    // press does nothing (the proof is good for one sending only).
    form.addEventListener('submit', function (e) {
      var by = e.submitter;
      if (!by || !by.hasAttribute('data-pow-send')) return;
      if (sent) { e.preventDefault(); return; }
      if (state === 'working') { e.preventDefault(); waiting = by; return; }
      sent = true;
    });
  }

  function init() {
    var boxes = document.querySelectorAll('[data-module="pow"]');
    for (var i = 0; i < boxes.length; i++) start(boxes[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
