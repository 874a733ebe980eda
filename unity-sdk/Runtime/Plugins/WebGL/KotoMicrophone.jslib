// KOTO Live microphone for Unity WebGL builds (Unity has no Microphone class there).
// getUserMedia → MediaStreamSource → an AudioWorklet that batches render quanta into ~21 ms
// blocks of float samples → copied into the wasm heap → C# (WebGLMicrophone.OnSamples), which
// resamples to 16 kHz and frames exactly as on standalone. Browsers only run audio after a user
// gesture: if the AudioContext starts suspended, it is resumed on the next click, tap or key.
var KotoMicrophone = {
  $kotoMic: {
    context: null,
    stream: null,
    source: null,
    node: null,
    heapPointer: 0,
    heapCapacity: 0,
    onSamples: 0,
    onStatus: 0,
    gestureHandler: null,

    // The processor runs on the audio thread; it is loaded from a Blob so no extra file is served.
    workletSource:
      "class KotoCaptureProcessor extends AudioWorkletProcessor {\n" +
      "  constructor() { super(); this.block = new Float32Array(1024); this.length = 0; this.running = true;\n" +
      "    this.port.onmessage = (event) => { if (event.data === 'stop') this.running = false; }; }\n" +
      "  process(inputs) {\n" +
      "    const channel = inputs[0] && inputs[0][0];\n" +
      "    if (channel) {\n" +
      "      for (let i = 0; i < channel.length; i++) {\n" +
      "        this.block[this.length++] = channel[i];\n" +
      "        if (this.length === this.block.length) { this.port.postMessage(this.block, [this.block.buffer]); this.block = new Float32Array(1024); this.length = 0; }\n" +
      "      }\n" +
      "    }\n" +
      "    return this.running;\n" +
      "  }\n" +
      "}\n" +
      "registerProcessor('koto-capture', KotoCaptureProcessor);\n",

    status: function (code) {
      if (kotoMic.onStatus) {{{ makeDynCall('vi', 'kotoMic.onStatus') }}}(code);
    },

    deliver: function (block) {
      if (!kotoMic.onSamples || !kotoMic.context) return;
      var bytes = block.length * 4;
      if (kotoMic.heapCapacity < bytes) {
        if (kotoMic.heapPointer) _free(kotoMic.heapPointer);
        kotoMic.heapPointer = _malloc(bytes);
        kotoMic.heapCapacity = bytes;
      }
      // HEAPF32 is read at each call: the view is replaced when the wasm memory grows.
      HEAPF32.set(block, kotoMic.heapPointer >> 2);
      {{{ makeDynCall('viii', 'kotoMic.onSamples') }}}(kotoMic.heapPointer, block.length, kotoMic.context.sampleRate);
    },

    resumeOnGesture: function () {
      if (kotoMic.gestureHandler) return;
      kotoMic.status(2);
      kotoMic.gestureHandler = function () {
        if (!kotoMic.context) return;
        kotoMic.context.resume().then(function () {
          if (kotoMic.context && kotoMic.context.state === "running") {
            ["pointerup", "touchend", "keyup"].forEach(function (type) { document.removeEventListener(type, kotoMic.gestureHandler, true); });
            kotoMic.gestureHandler = null;
            kotoMic.status(1);
          }
        });
      };
      ["pointerup", "touchend", "keyup"].forEach(function (type) { document.addEventListener(type, kotoMic.gestureHandler, true); });
    },

    stop: function () {
      // Blocks still in flight from the audio thread are dropped: the port stops listening first.
      if (kotoMic.node) { try { kotoMic.node.port.onmessage = null; kotoMic.node.port.postMessage("stop"); kotoMic.node.disconnect(); } catch (e) {} }
      if (kotoMic.source) { try { kotoMic.source.disconnect(); } catch (e) {} }
      if (kotoMic.stream) kotoMic.stream.getTracks().forEach(function (track) { track.stop(); });
      if (kotoMic.context) { try { kotoMic.context.close(); } catch (e) {} }
      kotoMic.node = kotoMic.source = kotoMic.stream = kotoMic.context = null;
    }
  },

  KotoMic_Start__deps: ["$kotoMic"],
  KotoMic_Start: function (onSamples, onStatus) {
    kotoMic.onSamples = onSamples;
    kotoMic.onStatus = onStatus;
    var AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !AudioContextClass || !window.AudioWorkletNode) {
      kotoMic.status(4);
      return;
    }
    kotoMic.stop();
    // Created here, inside the C# call, so a call made from a pointer-down handler counts as the gesture.
    var context = new AudioContextClass();
    kotoMic.context = context;
    if (context.state !== "running") context.resume().catch(function () {});
    var constraints = { audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } };
    var workletUrl = URL.createObjectURL(new Blob([kotoMic.workletSource], { type: "application/javascript" }));
    Promise.all([navigator.mediaDevices.getUserMedia(constraints), context.audioWorklet.addModule(workletUrl)])
      .then(function (results) {
        URL.revokeObjectURL(workletUrl);
        if (kotoMic.context !== context) { results[0].getTracks().forEach(function (track) { track.stop(); }); return; }
        kotoMic.stream = results[0];
        kotoMic.source = context.createMediaStreamSource(results[0]);
        kotoMic.node = new AudioWorkletNode(context, "koto-capture", { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit" });
        kotoMic.node.port.onmessage = function (event) { kotoMic.deliver(event.data); };
        kotoMic.source.connect(kotoMic.node);
        if (context.state === "running") kotoMic.status(1);
        else kotoMic.resumeOnGesture();
      })
      .catch(function (error) {
        URL.revokeObjectURL(workletUrl);
        kotoMic.stop();
        kotoMic.status(error && (error.name === "NotAllowedError" || error.name === "SecurityError") ? 3 : 4);
      });
  },

  KotoMic_Stop__deps: ["$kotoMic"],
  KotoMic_Stop: function () {
    kotoMic.stop();
    kotoMic.status(5);
  }
};

autoAddDeps(KotoMicrophone, "$kotoMic");
mergeInto(LibraryManager.library, KotoMicrophone);
