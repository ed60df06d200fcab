// "Cetak" on the recovery-codes page (no inline script: the admin has a strict CSP).
document.querySelectorAll("[data-akun-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
