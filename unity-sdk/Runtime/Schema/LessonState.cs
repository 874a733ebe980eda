// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class LessonState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public LessonState() { }

		[global::Colyseus.Schema.Type(0, "ref", typeof(LessonInfo))]
		public LessonInfo lesson = null;

		[global::Colyseus.Schema.Type(1, "string")]
		public string phase = "";

		[global::Colyseus.Schema.Type(2, "int16")]
		public short currentStep = 0;

		[global::Colyseus.Schema.Type(3, "array", typeof(global::Colyseus.Schema.ArraySchema<DialogueStep>))]
		public global::Colyseus.Schema.ArraySchema<DialogueStep> steps = new global::Colyseus.Schema.ArraySchema<DialogueStep>();

		[global::Colyseus.Schema.Type(4, "map", typeof(global::Colyseus.Schema.MapSchema<Participant>))]
		public global::Colyseus.Schema.MapSchema<Participant> participants = new global::Colyseus.Schema.MapSchema<Participant>();

		[global::Colyseus.Schema.Type(5, "map", typeof(global::Colyseus.Schema.MapSchema<LearnerProgress>))]
		public global::Colyseus.Schema.MapSchema<LearnerProgress> progress = new global::Colyseus.Schema.MapSchema<LearnerProgress>();

		[global::Colyseus.Schema.Type(6, "array", typeof(global::Colyseus.Schema.ArraySchema<Attempt>))]
		public global::Colyseus.Schema.ArraySchema<Attempt> attempts = new global::Colyseus.Schema.ArraySchema<Attempt>();

		[global::Colyseus.Schema.Type(7, "uint8")]
		public byte maxLearners = 0;
	}
}
