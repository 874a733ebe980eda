// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class LearnerProgress : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public LearnerProgress() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string learnerId = "";

		[global::Colyseus.Schema.Type(1, "int16")]
		public short currentStep = 0;

		[global::Colyseus.Schema.Type(2, "array", typeof(global::Colyseus.Schema.ArraySchema<ushort>), "uint16")]
		public global::Colyseus.Schema.ArraySchema<ushort> completedSteps = new global::Colyseus.Schema.ArraySchema<ushort>();

		[global::Colyseus.Schema.Type(3, "uint16")]
		public ushort attemptsCount = 0;

		[global::Colyseus.Schema.Type(4, "uint8")]
		public byte bestScore = 0;

		[global::Colyseus.Schema.Type(5, "uint16")]
		public ushort hintsUsed = 0;

		[global::Colyseus.Schema.Type(6, "string")]
		public string lastHint = "";

		[global::Colyseus.Schema.Type(7, "array", typeof(global::Colyseus.Schema.ArraySchema<TutorNote>))]
		public global::Colyseus.Schema.ArraySchema<TutorNote> notes = new global::Colyseus.Schema.ArraySchema<TutorNote>();
	}
}
