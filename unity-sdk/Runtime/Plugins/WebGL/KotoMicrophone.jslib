// KOTO Live microphone for Unity WebGL builds (Unity has no Microphone class there).
// getUserMedia → MediaStreamSource → an AudioWorklet that batches render quanta into ~21 ms
// blocks of float samples → copied into the wasm heap → C# (WebGLMicrophone.OnSamples), which
// resamples to 16 kHz and frames exactly as on standalone.
// Browsers run audio only after a user gesture, and Unity handles input a frame later, outside the
// browser's event handler: so one AudioContext lives for the whole page and is unlocked by the first
// click, tap or key press anywhere (KotoMic_Prepare installs that early, e.g. on the sign-in screen).
// Each utterance then only opens and closes the microphone track.
var KotoMicrophone = {
  $kotoMic: {
    context: null,
    moduleReady: null,
    stream: null,
    source: null,
    node: null,
    capturing: false,
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

    supported: function () {
      return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && (window.AudioContext || window.webkitAudioContext) && window.AudioWorkletNode);
    },

    status: function (code) {
      if (kotoMic.onStatus) {{{ makeDynCall('vi', 'kotoMic.onStatus') }}}(code);
    },

    // The page's one AudioContext, with the capture processor loading and a gesture unlock armed.
    ensureContext: function () {
      if (kotoMic.context) return kotoMic.context;
      var AudioContextClass = window.AudioContext || window.webkitAudioContext;
      var context = new AudioContextClass();
      kotoMic.context = context;
      var workletUrl = URL.createObjectURL(new Blob([kotoMic.workletSource], { type: "application/javascript" }));
      kotoMic.moduleReady = context.audioWorklet.addModule(workletUrl).then(
        function () { URL.revokeObjectURL(workletUrl); },
        function (error) { URL.revokeObjectURL(workletUrl); throw error; });
      if (context.state !== "running") kotoMic.unlockOnGesture();
      return context;
    },

    unlockOnGesture: function () {
      if (kotoMic.gestureHandler) return;
      var types = ["pointerup", "touchend", "keyup"];
      kotoMic.gestureHandler = function () {
        var context = kotoMic.context;
        if (!context) return;
        context.resume().then(function () {
          if (context.state !== "running" || !kotoMic.gestureHandler) return;
          types.forEach(function (type) { document.removeEventListener(type, kotoMic.gestureHandler, true); });
          kotoMic.gestureHandler = null;
          if (kotoMic.capturing) kotoMic.status(1);
        });
      };
      types.forEach(function (type) { document.addEventListener(type, kotoMic.gestureHandler, true); });
    },

    deliver: function (block) {
      if (!kotoMic.onSamples || !kotoMic.capturing) return;
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

    // Closes the microphone (the browser's recording indicator goes off); the context stays unlocked.
    stopCapture: function () {
      kotoMic.capturing = false;
      // Blocks still in flight from the audio thread are dropped: the port stops listening first.
      if (kotoMic.node) { try { kotoMic.node.port.onmessage = null; kotoMic.node.port.postMessage("stop"); kotoMic.node.disconnect(); } catch (e) {} }
      if (kotoMic.source) { try { kotoMic.source.disconnect(); } catch (e) {} }
      if (kotoMic.stream) kotoMic.stream.getTracks().forEach(function (track) { track.stop(); });
      kotoMic.node = kotoMic.source = kotoMic.stream = null;
    }
  },

  KotoMic_Prepare__deps: ["$kotoMic"],
  KotoMic_Prepare: function () {
    if (kotoMic.supported()) kotoMic.ensureContext();
  },

  KotoMic_Start__deps: ["$kotoMic"],
  KotoMic_Start: function (onSamples, onStatus) {
    kotoMic.onSamples = onSamples;
    kotoMic.onStatus = onStatus;
    if (!kotoMic.supported()) {
      kotoMic.status(4);
      return;
    }
    kotoMic.stopCapture();
    var context = kotoMic.ensureContext();
    kotoMic.capturing = true;
    var attempt = {};
    kotoMic.currentStart = attempt;
    var constraints = { audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } };
    Promise.all([navigator.mediaDevices.getUserMedia(constraints), kotoMic.moduleReady])
      .then(function (results) {
        // Stopped (or started again) while the browser was asking: this microphone is not wanted.
        if (kotoMic.currentStart !== attempt || !kotoMic.capturing) { results[0].getTracks().forEach(function (track) { track.stop(); }); return; }
        kotoMic.stream = results[0];
        kotoMic.source = context.createMediaStreamSource(results[0]);
        kotoMic.node = new AudioWorkletNode(context, "koto-capture", { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit" });
        kotoMic.node.port.onmessage = function (event) { kotoMic.deliver(event.data); };
        kotoMic.source.connect(kotoMic.node);
        if (context.state === "running") {
          kotoMic.status(1);
        } else {
          // A page that already had a gesture may resume without one; otherwise the next one unlocks it.
          context.resume().catch(function () {});
          kotoMic.unlockOnGesture();
          kotoMic.status(2);
        }
      })
      .catch(function (error) {
        if (kotoMic.currentStart !== attempt) return;
        kotoMic.stopCapture();
        kotoMic.status(error && (error.name === "NotAllowedError" || error.name === "SecurityError") ? 3 : 4);
      });
  },

  KotoMic_Stop__deps: ["$kotoMic"],
  KotoMic_Stop: function () {
    kotoMic.currentStart = null;
    kotoMic.stopCapture();
    kotoMic.status(5);
  }
};

autoAddDeps(KotoMicrophone, "$kotoMic");
mergeInto(LibraryManager.library, KotoMicrophone);
