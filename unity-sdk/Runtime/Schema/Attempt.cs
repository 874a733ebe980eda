// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class Attempt : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public Attempt() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string id = "";

		[global::Colyseus.Schema.Type(1, "string")]
		public string learnerId = "";

		[global::Colyseus.Schema.Type(2, "uint16")]
		public ushort step = 0;

		[global::Colyseus.Schema.Type(3, "string")]
		public string kind = "";

		[global::Colyseus.Schema.Type(4, "string")]
		public string status = "";

		[global::Colyseus.Schema.Type(5, "string")]
		public string text = "";

		[global::Colyseus.Schema.Type(6, "boolean")]
		public bool correct = false;

		[global::Colyseus.Schema.Type(7, "int16")]
		public short overall = 0;

		[global::Colyseus.Schema.Type(8, "int16")]
		public short accuracy = 0;

		[global::Colyseus.Schema.Type(9, "int16")]
		public short completeness = 0;

		[global::Colyseus.Schema.Type(10, "int16")]
		public short fluency = 0;

		[global::Colyseus.Schema.Type(11, "array", typeof(global::Colyseus.Schema.ArraySchema<SyllableResult>))]
		public global::Colyseus.Schema.ArraySchema<SyllableResult> syllables = new global::Colyseus.Schema.ArraySchema<SyllableResult>();

		[global::Colyseus.Schema.Type(12, "string")]
		public string feedback = "";

		[global::Colyseus.Schema.Type(13, "string")]
		public string failureCode = "";

		[global::Colyseus.Schema.Type(14, "string")]
		public string failureReason = "";

		[global::Colyseus.Schema.Type(15, "int16")]
		public short tutorScore = 0;

		[global::Colyseus.Schema.Type(16, "string")]
		public string tutorComment = "";

		[global::Colyseus.Schema.Type(17, "float64")]
		public double createdAt = 0;

		[global::Colyseus.Schema.Type(18, "boolean")]
		public bool passed = false;

		[global::Colyseus.Schema.Type(19, "string")]
		public string evaluation = "";
	}
}
