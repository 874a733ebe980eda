// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class DialogueStep : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public DialogueStep() { }

		[global::Colyseus.Schema.Type(0, "uint16")]
		public ushort index = 0;

		[global::Colyseus.Schema.Type(1, "string")]
		public string speaker = "";

		[global::Colyseus.Schema.Type(2, "string")]
		public string korean = "";

		[global::Colyseus.Schema.Type(3, "string")]
		public string romanization = "";

		[global::Colyseus.Schema.Type(4, "string")]
		public string translation = "";

		[global::Colyseus.Schema.Type(5, "string")]
		public string audioUrl = "";

		[global::Colyseus.Schema.Type(6, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> accepted = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(7, "boolean")]
		public bool playedByServer = false;
	}
}
