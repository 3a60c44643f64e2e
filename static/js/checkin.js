// The check-in page: find a participant by name in the roster, or scan their card
// with the camera, fill the code and submit, and go on to the next card
// (static/js/offline.js takes the submit). The
// browser's own BarcodeDetector where it has one (Chrome on Android), else jsQR
// (vendored) on frames of the video: Safari on iPhone, Firefox.
document.addEventListener("DOMContentLoaded", () => {
  // Check-in by name: the roster narrows to the names holding what is typed.
  document.querySelector("[data-roster-filter]")?.addEventListener("input", (typing) => {
    const wanted = typing.target.value.trim().toLowerCase();
    document.querySelectorAll("[data-roster-row]").forEach((row) => {
      row.classList.toggle("d-none", !row.dataset.name.includes(wanted));
    });
  });

  const button = document.getElementById("start-scan");
  const video = document.getElementById("scanner");
  const input = document.getElementById("id_code");
  const problem = document.getElementById("scan-problem");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  if (!("BarcodeDetector" in window) && typeof jsQR === "undefined") return;
  button.classList.remove("d-none");

  const readerOf = () => {
    if ("BarcodeDetector" in window) {
      const detector = new BarcodeDetector({ formats: ["qr_code"] });
      return async () => (await detector.detect(video))[0]?.rawValue;
    }
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      if (!video.videoWidth) return undefined;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      return jsQR(frame.data, frame.width, frame.height)?.data;
    };
  };

  button.addEventListener("click", async () => {
    problem.classList.add("d-none");
    try {
      video.srcObject = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
      });
    } catch {
      problem.classList.remove("d-none"); // refused or no camera: the typed code still works
      input.focus();
      return;
    }
    video.classList.remove("d-none");
    await video.play();
    const read = readerOf();
    let last = { code: null, at: 0 };
    const scan = async () => {
      const code = await read();
      // one card held in front of the camera is read many times a second: once is enough
      if (code && (code !== last.code || Date.now() - last.at > 3000)) {
        last = { code, at: Date.now() };
        input.value = code;
        document.getElementById("checkin-form").requestSubmit();
      }
      requestAnimationFrame(scan);
    };
    scan();
  });
});
