// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class AccountInfo : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public AccountInfo() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string userId = "";

		[global::Colyseus.Schema.Type(1, "string")]
		public string email = "";

		[global::Colyseus.Schema.Type(2, "string")]
		public string kind = "";

		[global::Colyseus.Schema.Type(3, "string")]
		public string createdAt = "";
	}
}
