// distplan: the little the pages need in a browser (no framework, nothing fetched).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Document review: add a blank row (its inputs are named row-newK-FIELD).
  const add = document.getElementById("add-row");
  const template = document.getElementById("new-row");
  const body = document.querySelector("#review-rows tbody");
  let added = 0;
  if (add && template && body) {
    add.addEventListener("click", () => {
      added += 1;
      const html = template.innerHTML.replaceAll("newN", "new" + added);
      body.insertAdjacentHTML("beforeend", html);
      const count = document.getElementById("row-count");
      if (count) count.textContent = String(body.rows.length);
    });
  }
  // Document review: focusing a row shows its lines in the source.
  document.querySelectorAll("#review-rows tbody tr[data-lines]").forEach((tr) => {
    tr.addEventListener("focusin", () => {
      document.querySelectorAll(".source .line.here").forEach((el) => el.classList.remove("here"));
      const [first, last] = (tr.dataset.lines || "").split("-").map(Number);
      if (!first) return;
      for (let n = first; n <= (last || first); n += 1) {
        const line = document.getElementById("L" + n);
        if (line) line.classList.add("here");
      }
      const line = document.getElementById("L" + first);
      const pre = document.querySelector(".source pre");
      if (line && pre) pre.scrollTop = line.offsetTop - pre.offsetTop - pre.clientHeight / 3;
    });
  });
});
