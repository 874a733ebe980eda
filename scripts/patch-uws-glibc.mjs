console.log("[koto] uws patch placeholder")
