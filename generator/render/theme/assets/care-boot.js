/* 长者模式 before the first paint (loaded as a blocking script in <head>, main.html), so a reader who chose
   it never sees the page jump; a file rather than an inline line, for the CSP. care.js wires the button. */
try{if(localStorage.getItem("portal-care")==="1")document.documentElement.classList.add("portal-care")}catch(e){}
