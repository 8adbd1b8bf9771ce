# The old Python relay's loop re-implemented from PROTOCOL.md, for comparison in docs/performance.md only
# (not the original: that needs PyPI). usage: /usr/bin/python3 pyrelay.py <port>  (python3-websockets)
import asyncio, re, sys, websockets
HEX = re.compile(r'^[0-9a-fA-F]{20}$')
subscribers = set(); devices = {}
async def handler(ws, path=None):
    await ws.send("Connected to GroupLoop WebSocket server")
    try:
        async for message in ws:
            if not isinstance(message, str):
                continue
            if message == "ping":
                await ws.send("pong")
            elif message.startswith("id:"):
                await ws.send("id:ok" if message[3:].strip() else "id:error")
            elif message == "s":
                subscribers.add(ws); await ws.send("stream:on")
            elif message.startswith("cmd:"):
                await ws.send("cmd:result:failed")
            else:
                for line in message.strip().splitlines():
                    line = line.strip()
                    if HEX.match(line):
                        devices[line[:4].lower()] = ws
                        out = line.lower() + "\n"
                        for sub in list(subscribers):
                            try:
                                await sub.send(out)
                            except websockets.ConnectionClosed:
                                subscribers.discard(sub)
    finally:
        subscribers.discard(ws)
        for k in [k for k, v in devices.items() if v is ws]:
            del devices[k]
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1]), compression=None):
        await asyncio.Future()
asyncio.run(main())
