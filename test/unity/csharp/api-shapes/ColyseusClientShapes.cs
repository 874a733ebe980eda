// Test-only: the signatures of io.colyseus.sdk 0.18 (upm branch, Runtime/Colyseus/Client.cs and
// Room.cs) that the KOTO runtime calls, with empty bodies. See UnityEngineShapes.cs for what
// compiling against them proves and what it does not.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Colyseus
{
    public delegate void NoArgsEventHandler();
    public delegate void CloseWithCodeEventHandler(int code);
    public delegate void ErrorEventHandler(int code, string message);

    public class MatchMakeException : Exception
    {
        public int Code;
        public MatchMakeException(int code, string message) : base(message) { Code = code; }
    }

    // Runtime/Colyseus/Utils/Exceptions.cs: what HTTP.Request throws for a refused or failed request, matchmaking
    // included. The message is the JSON body's "error" when it has one, else UnityWebRequest's error text;
    // StatusCode is the response code (0 when no answer came).
    public class HttpException : Exception
    {
        public int StatusCode;
        public HttpException(int statusCode, string message) : base(message) { StatusCode = statusCode; }
    }

    [Serializable]
    public class ReconnectionToken
    {
        public string RoomId;
        public string Token;
    }

    [Serializable]
    public class ReconnectionOptions
    {
        public int MaxRetries = 15;
        public int MinDelay = 100;
        public int MaxDelay = 5000;
        public int MinUptime = 5000;
    }

    public class Connection
    {
        public bool IsOpen;
    }

    public class Room<T> where T : Schema.Schema
    {
        public delegate void StateChangeEventHandler(T state, bool isFirstState);

        public Connection Connection;
        public string RoomId;
        public string SessionId;
        public ReconnectionToken ReconnectionToken;
        public ReconnectionOptions Reconnection = new ReconnectionOptions();
        public T State { get { return null; } }

        public event CloseWithCodeEventHandler OnLeave;
        public event CloseWithCodeEventHandler OnDrop;
        public event NoArgsEventHandler OnReconnect;
        public event ErrorEventHandler OnError;
        public event StateChangeEventHandler OnStateChange;

        public Task Leave(bool consented = true) { return Task.FromResult(0); }
        public Task Send(string type) { return Task.FromResult(0); }
        public Task Send(string type, object message) { return Task.FromResult(0); }
        public Task SendBytes(string type, byte[] bytes) { return Task.FromResult(0); }
        public void OnMessage<MessageType>(string type, Action<MessageType> handler) { }

        // Keeps the compiler from warning that the events above are never raised in this stand-in.
        internal void RaiseAll()
        {
            OnLeave(0); OnDrop(0); OnReconnect(); OnError(0, ""); OnStateChange(null, true);
        }
    }

    public class Client
    {
        public Client(string endpoint) { }
        public Task<Room<T>> Create<T>(string roomName, Dictionary<string, object> options = null, Dictionary<string, string> headers = null) where T : Schema.Schema { return Task.FromResult<Room<T>>(null); }
        public Task<Room<T>> JoinById<T>(string roomId, Dictionary<string, object> options = null, Dictionary<string, string> headers = null) where T : Schema.Schema { return Task.FromResult<Room<T>>(null); }
        public Task<Room<T>> Reconnect<T>(ReconnectionToken reconnectionToken, Dictionary<string, string> headers = null) where T : Schema.Schema { return Task.FromResult<Room<T>>(null); }
    }
}
