/* 长者模式 and the article 字号 step before the first paint (loaded as a blocking script in <head>, main.html), so
   a reader who chose them never sees the page jump; a file rather than an inline line, for the CSP. care.js
   wires the 长者模式 button, reader.js the 字号 buttons. */
try{var r=document.documentElement,s=localStorage.getItem("portal-size");if(localStorage.getItem("portal-care")==="1")r.classList.add("portal-care");if(s==="s"||s==="l")r.classList.add("portal-size-"+s)}catch(e){}
