/* Work-order pages: show refusals and conflicts in place, and the owner's signature canvas. */
(function () {
  "use strict";

  // htmx does not swap 4xx answers by default; ours carry the message and the fresh state.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function setUp(root) {
    root.querySelectorAll("[data-signature]").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      var canvas = box.querySelector("canvas");
      var field = box.querySelector("input[type=hidden]");
      var ctx = canvas.getContext("2d");
      var drawing = false;

      function fit() {
        // Draw in device pixels so strokes stay sharp on a phone.
        var ratio = window.devicePixelRatio || 1;
        var rect = canvas.getBoundingClientRect();
        canvas.width = Math.max(1, Math.round(rect.width * ratio));
        canvas.height = Math.max(1, Math.round(rect.height * ratio));
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.lineWidth = 2.5;
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        ctx.strokeStyle = "#111";
        field.value = "";
      }
      function point(e) {
        var rect = canvas.getBoundingClientRect();
        return { x: e.clientX - rect.left, y: e.clientY - rect.top };
      }
      canvas.addEventListener("pointerdown", function (e) {
        // Size the canvas at the first stroke: inside a closed <details> it had no size at load.
        if (!field.value) fit();
        drawing = true;
        canvas.setPointerCapture(e.pointerId);
        var p = point(e);
        ctx.beginPath();
        ctx.moveTo(p.x, p.y);
        e.preventDefault();
      });
      canvas.addEventListener("pointermove", function (e) {
        if (!drawing) return;
        var p = point(e);
        ctx.lineTo(p.x, p.y);
        ctx.stroke();
        e.preventDefault();
      });
      function finish() {
        if (!drawing) return;
        drawing = false;
        // Written after every stroke, so the value is there whoever handles the submit first.
        field.value = canvas.toDataURL("image/png");
      }
      canvas.addEventListener("pointerup", finish);
      canvas.addEventListener("pointercancel", finish);
      canvas.addEventListener("pointerleave", finish);
      var clear = box.querySelector("[data-clear]");
      if (clear) {
        clear.addEventListener("click", function () {
          ctx.clearRect(0, 0, canvas.width, canvas.height);
          field.value = "";
        });
      }
      fit();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();
