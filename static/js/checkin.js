// QR check-in: where the browser can read barcodes (Chrome on Android), scan the
// participant's card with the camera, fill the code and submit.
document.addEventListener("DOMContentLoaded", () => {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const button = document.getElementById("start-scan");
  const video = document.getElementById("scanner");
  const input = document.getElementById("id_code");
  button.classList.remove("d-none");
  button.addEventListener("click", async () => {
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.classList.remove("d-none");
    await video.play();
    const scan = async () => {
      const codes = await detector.detect(video);
      if (codes.length) {
        input.value = codes[0].rawValue;
        document.getElementById("checkin-form").submit();
        return;
      }
      requestAnimationFrame(scan);
    };
    scan();
  });
});
