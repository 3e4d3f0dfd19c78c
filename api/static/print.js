// Print view: the print button opens the browser's print dialog.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("do-print");
  if (button) button.addEventListener("click", () => window.print());
});
