// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class Participant : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public Participant() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string id = "";

		[global::Colyseus.Schema.Type(1, "string")]
		public string displayName = "";

		[global::Colyseus.Schema.Type(2, "string")]
		public string role = "";

		[global::Colyseus.Schema.Type(3, "string")]
		public string platform = "";

		[global::Colyseus.Schema.Type(4, "string")]
		public string dialogueRole = "";

		[global::Colyseus.Schema.Type(5, "boolean")]
		public bool connected = false;

		[global::Colyseus.Schema.Type(6, "boolean")]
		public bool speaking = false;

		[global::Colyseus.Schema.Type(7, "ref", typeof(AccountInfo))]
		public AccountInfo account = null;
	}
}
